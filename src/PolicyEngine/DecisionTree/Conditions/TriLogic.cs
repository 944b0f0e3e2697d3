namespace PolicyEngine.DecisionTree.Conditions;

internal static class TriLogic
{
    public static Tri Not(Tri value) => value switch
    {
        Tri.True => Tri.False,
        Tri.False => Tri.True,
        _ => Tri.Indeterminate,
    };

    public static Tri From(bool value) => value ? Tri.True : Tri.False;
}
