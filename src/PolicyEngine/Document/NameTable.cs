using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace PolicyEngine.Document;

/// <summary>
/// Reuses the string of a short ASCII name or value seen before in the same document ("path", "op",
/// "args.side"): a large policy repeats a few texts hundreds of thousands of times. A slot holds
/// the last text that hashed to it; a miss reads the text exactly as the reader would.
/// </summary>
internal sealed class NameTable
{
    private const int MaxBytes = 32;
    private const int SlotBits = 12;
    // The keys the compiler looks up, as its own literals (which the runtime interns): a document's keys then are the
    // very strings compared against, and each lookup matches on the reference instead of comparing characters.
    private static readonly string[] KnownKeys =
    [
        "version", "default", "description", "mode", "hide", "all_tools", "tools", "approval_ttl", "$schema",
        "action", "reason", "require", "deny_if", "approve_if", "rate_limit", "limits", "pin", "conditions", "on_deny",
        "path", "op", "value", "ignore_case", "on_fail", "all", "any", "not", "max", "window", "per", "cost", "on_limit", "name",
    ];

    private readonly string?[] _slots = new string?[1 << SlotBits];

    public NameTable()
    {
        Span<byte> utf8 = stackalloc byte[MaxBytes];
        foreach (string key in KnownKeys)
        {
            _slots[Slot(utf8[..Encoding.ASCII.GetBytes(key, utf8)])] = key;
        }
    }

    /// <summary>The current string token's text; throws as <see cref="Utf8JsonReader.GetString"/> does.</summary>
    public string GetString(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (reader.ValueIsEscaped || raw.Length > MaxBytes)
        {
            return reader.GetString()!;
        }

        ref string? slot = ref _slots[Slot(raw)];
        if (slot is { } known && known.Length == raw.Length && Ascii.Equals(raw, known))
        {
            return known;
        }

        string text = reader.GetString()!;
        if (text.Length == raw.Length)
        {
            slot = text; // one char per byte: ASCII, so the byte comparison above decides equality exactly
        }

        return text;
    }

    // The table is a cache, one text per slot: a collision costs a string, never a longer search, so a cheap
    // multiplicative hash of 8 bytes at a time serves (HashCode's rounds cost more than the lookup they feed).
    private static int Slot(ReadOnlySpan<byte> raw)
    {
        const ulong Mix = 0x9E3779B97F4A7C15;
        ulong hash = (uint)raw.Length;
        int i = 0;
        for (; i + 8 <= raw.Length; i += 8)
        {
            hash = (hash ^ MemoryMarshal.Read<ulong>(raw[i..])) * Mix;
        }

        ulong tail = 0;
        for (; i < raw.Length; i++)
        {
            tail = (tail << 8) | raw[i];
        }

        hash = (hash ^ tail) * Mix;
        hash ^= hash >> 32; // texts that differ only in their last bytes ("tool_01234") must still spread
        return (int)((hash * Mix) >> (64 - SlotBits));
    }
}
