namespace PolicyEngine.Compilation.Conditions;

/// <summary>Three-valued (Kleene) truth: every condition is true, false or indeterminate (spec §3).</summary>
internal enum Tri : byte
{
    False,
    True,
    Indeterminate,
}
