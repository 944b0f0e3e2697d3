namespace PolicyEngine.DecisionTree.Conditions;

/// <summary>Three-valued (Kleene) truth: every condition is true, false or indeterminate (docs/policy-language.md#conditions).</summary>
internal enum Tri : byte
{
    False,
    True,
    Indeterminate,
}
