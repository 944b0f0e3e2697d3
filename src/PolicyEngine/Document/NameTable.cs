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
    private readonly string?[] _slots = new string?[4096];

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

    private int Slot(ReadOnlySpan<byte> raw)
    {
        var hash = default(HashCode);
        hash.AddBytes(raw);
        return hash.ToHashCode() & (_slots.Length - 1);
    }
}
