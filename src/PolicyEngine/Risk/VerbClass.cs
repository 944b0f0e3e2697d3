namespace PolicyEngine.Risk;

/// <summary>What a verb in a tool's name says the tool does.</summary>
[Flags]
internal enum VerbClass
{
    None = 0,
    Read = 1 << 0,
    Write = 1 << 1,
    Publish = 1 << 2,
    Destroy = 1 << 3,
    Execute = 1 << 4,
    Trigger = 1 << 5,
    Communicate = 1 << 6,
    React = 1 << 7,
    Money = 1 << 8,
    Commit = 1 << 9,
    Grant = 1 << 10,
}
