namespace PolicyEngine.Risk;

/// <summary>What a noun in a tool's name is about.</summary>
[Flags]
internal enum NounKind
{
    None = 0,
    Financial = 1 << 0,
    Credential = 1 << 1,
    Code = 1 << 2,
    Job = 1 << 3,
    Message = 1 << 4,
    Scope = 1 << 5,
    Mass = 1 << 6,
    Sensitive = 1 << 7,
}
