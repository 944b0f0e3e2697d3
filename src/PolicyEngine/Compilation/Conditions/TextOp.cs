namespace PolicyEngine.Compilation.Conditions;

internal enum TextOp : byte
{
    StartsWith,
    EndsWith,
    Regex,
    Contains,
}
