using System.Runtime.InteropServices;
using System.Text.Json;
using PolicyEngine.Compilation;

namespace PolicyEngine.Evaluation;

/// <summary>
/// Spec §7 step 1: finds invalid calls in one pass over the arguments, in place. Duplicate keys matter
/// because <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> picks one while the tool may pick the other.
/// </summary>
internal static class CallValidator
{
    public const int MaxDepth = 64;

    /// <summary>Up to this many properties, duplicates are found by comparing hashes on the stack; beyond, with a set.</summary>
    private const int PairwiseLimit = 32;

    public static DecisionOutcome? Validate(in ToolCall call, PolicyEngineOptions options)
    {
        if (!ToolNames.IsValid(call.Tool))
        {
            return Outcomes.InvalidName;
        }

        var budget = new Budget(options.MaxArgumentValues, options.MaxArgumentStringBytes);
        if (call.ArgumentsDictionary is { } dict)
        {
            return dict is Dictionary<string, JsonElement> concrete ? WalkMembers(concrete, ref budget) : WalkMembers(dict, ref budget);
        }

        return call.Arguments.ValueKind switch
        {
            JsonValueKind.Undefined => null,
            JsonValueKind.Object => Walk(call.Arguments, 1, ref budget),
            _ => Outcomes.ArgumentsNotObject,
        };
    }

    // The concrete overload enumerates with the struct enumerator: no allocation for the MCP SDK's Dictionary.
    private static DecisionOutcome? WalkMembers(Dictionary<string, JsonElement> members, ref Budget budget)
    {
        foreach (var (key, value) in members)
        {
            if ((budget.Take(key.Length) ?? Walk(value, 2, ref budget)) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static DecisionOutcome? WalkMembers(IDictionary<string, JsonElement> members, ref Budget budget)
    {
        foreach (var (key, value) in members)
        {
            if ((budget.Take(key.Length) ?? Walk(value, 2, ref budget)) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static DecisionOutcome? Walk(JsonElement value, int depth, ref Budget budget)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return depth > MaxDepth ? Outcomes.TooDeep : WalkObject(value, depth, ref budget);
            case JsonValueKind.Array:
                if (depth > MaxDepth)
                {
                    return Outcomes.TooDeep;
                }

                foreach (var item in value.EnumerateArray())
                {
                    if (Walk(item, depth + 1, ref budget) is { } o)
                    {
                        return o;
                    }
                }

                return budget.Take(0);
            case JsonValueKind.String:
                return budget.Take(JsonMarshal.GetRawUtf8Value(value).Length - 2);
            default:
                return budget.Take(0);
        }
    }

    private static DecisionOutcome? WalkObject(JsonElement obj, int depth, ref Budget budget)
    {
        Span<uint> keys = stackalloc uint[PairwiseLimit];
        int count = 0;
        bool needSet = false;
        foreach (var property in obj.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            if ((budget.Take(name.Length) ?? Walk(property.Value, depth + 1, ref budget)) is { } invalid)
            {
                return invalid;
            }

            if (needSet)
            {
                continue;
            }

            // An escaped name has other raw bytes than the same name unescaped: compare such objects by value.
            if (count == PairwiseLimit || name.IndexOf((byte)'\\') >= 0)
            {
                needSet = true;
                continue;
            }

            // A cheap key (length, first and last byte) finds candidates; equal keys are compared exactly.
            uint key = name.IsEmpty ? 0 : ((uint)name.Length << 16) | ((uint)name[0] << 8) | name[^1];
            for (int i = 0; i < count; i++)
            {
                if (keys[i] == key && NameAt(obj, i).SequenceEqual(name))
                {
                    return Outcomes.DuplicateKey;
                }
            }

            keys[count++] = key;
        }

        return needSet && HasDuplicateNames(obj) ? Outcomes.DuplicateKey : null;
    }

    private static ReadOnlySpan<byte> NameAt(JsonElement obj, int index)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (index-- == 0)
            {
                return JsonMarshal.GetRawUtf8PropertyName(property);
            }
        }

        return default;
    }

    private static bool HasDuplicateNames(JsonElement obj)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (!seen.Add(Json.JsonText.GetName(property)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the host allows one call's arguments to hold.</summary>
    private struct Budget(int values, int maxStringBytes)
    {
        private int _values = values;

        public DecisionOutcome? Take(int stringBytes)
        {
            if (--_values < 0)
            {
                return Outcomes.TooManyValues;
            }

            return stringBytes > maxStringBytes ? Outcomes.StringTooLong : null;
        }
    }
}
