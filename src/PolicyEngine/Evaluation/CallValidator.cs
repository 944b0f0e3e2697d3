using System.Runtime.CompilerServices;
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

    public static DecisionOutcome? Validate(in ToolCall call, PolicyEngineOptions options) =>
        ToolNames.IsValid(call.Tool) ? ValidateArguments(in call, options, [], default, default) : Outcomes.InvalidName;

    /// <summary>
    /// Validates the arguments (the name is valid already) and, in the same pass, finds the top-level arguments
    /// named in <paramref name="wanted"/>: <paramref name="found"/>[i] is set for <paramref name="wanted"/>[i] when
    /// present, and left undefined when absent.
    /// </summary>
    public static DecisionOutcome? ValidateArguments(in ToolCall call, PolicyEngineOptions options, ArgSlot[] wanted, KeyMask wantedMask, Span<FoundArg> found)
    {
        var budget = new Budget(options.MaxArgumentValues, options.MaxArgumentStringBytes);
        if (call.ArgumentsDictionary is { } dict)
        {
            return dict is Dictionary<string, JsonElement> concrete ? WalkMembers(concrete, ref budget) : WalkMembers(dict, ref budget);
        }

        return call.Arguments.ValueKind switch
        {
            JsonValueKind.Undefined => null,
            JsonValueKind.Object => WalkObject(call.Arguments, 1, ref budget, wanted, wantedMask, found),
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
                return depth > MaxDepth ? Outcomes.TooDeep : WalkObject(value, depth, ref budget, [], default, default);
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

    // Scalars, the common case, without a call; containers recurse.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecisionOutcome? WalkValue(JsonElement value, JsonValueKind kind, int depth, ref Budget budget) => kind switch
    {
        JsonValueKind.String => budget.Take(JsonMarshal.GetRawUtf8Value(value).Length - 2),
        JsonValueKind.Object or JsonValueKind.Array => Walk(value, depth, ref budget),
        _ => budget.Take(0),
    };

    private static DecisionOutcome? WalkObject(JsonElement obj, int depth, ref Budget budget, ArgSlot[] wanted, KeyMask wantedMask, Span<FoundArg> found)
    {
        Span<uint> keys = stackalloc uint[PairwiseLimit];
        var seen = default(KeyMask);
        int count = 0;
        bool needSet = false;
        foreach (var property in obj.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            var value = property.Value;
            var kind = value.ValueKind;
            if ((budget.Take(name.Length) ?? WalkValue(value, kind, depth + 1, ref budget)) is { } invalid)
            {
                return invalid;
            }

            // An escaped name has other raw bytes than the same name unescaped: compare such names decoded,
            // and such objects' names by value.
            if (name.IndexOf((byte)'\\') >= 0)
            {
                needSet = true;
                if (wanted.Length > 0 && ArgSlot.IndexOf(wanted, Json.JsonText.GetName(property)) is var decoded and >= 0)
                {
                    found[decoded] = new FoundArg(value, kind);
                }

                continue;
            }

            // A cheap key (length, first and last byte) finds candidates; equal keys are compared exactly.
            uint key = ArgSlot.KeyOf(name);
            if (wantedMask.MayContain(key) && ArgSlot.IndexOf(wanted, key, name) is var slot and >= 0)
            {
                found[slot] = new FoundArg(value, kind);
            }

            if (needSet)
            {
                continue;
            }

            if (count == PairwiseLimit)
            {
                needSet = true;
                continue;
            }

            if (seen.MayContain(key))
            {
                for (int i = 0; i < count; i++)
                {
                    if (keys[i] == key && NameAt(obj, i).SequenceEqual(name))
                    {
                        return Outcomes.DuplicateKey;
                    }
                }
            }

            seen.Add(key);
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
