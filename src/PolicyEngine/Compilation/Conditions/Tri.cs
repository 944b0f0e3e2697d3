namespace PolicyEngine.Compilation.Conditions;

/// <summary>Three-valued (Kleene) truth: every condition is true, false or indeterminate (spec §3).</summary>
internal enum Tri : byte
{
    False,
    True,
    Indeterminate,
}

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
