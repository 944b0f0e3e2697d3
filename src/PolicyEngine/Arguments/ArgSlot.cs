namespace PolicyEngine.Arguments;

/// <summary>
/// A top-level argument name that a plan's paths read: its policy-wide id, and its UTF-8 bytes with a cheap
/// key (length, first and last byte) so that the validator's one pass over the arguments can spot it.
/// </summary>
internal readonly record struct ArgSlot(int Id, uint Key, byte[] Name, string Text)
{
    /// <summary>How many names one plan can have found in that pass; paths over further names look them up.</summary>
    public const int Capacity = 8;

    public static uint KeyOf(ReadOnlySpan<byte> name) =>
        name.IsEmpty ? 0 : ((uint)name.Length << 16) | ((uint)name[0] << 8) | name[^1];
}
