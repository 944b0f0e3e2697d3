namespace PolicyEngine.Risk;

/// <summary>What an input-schema property name says the tool takes.</summary>
[Flags]
internal enum PropertyKind
{
    None = 0,
    Money = 1 << 0,
    Trade = 1 << 1,
    Code = 1 << 2,
    Credential = 1 << 3,
    Recipient = 1 << 4,
}
