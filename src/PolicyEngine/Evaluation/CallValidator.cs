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
        ToolNames.IsValid(call.Tool) ? ValidateArguments(in call, options, WantedArgs.None, default, out _) : Outcomes.InvalidName;

    /// <summary>
    /// Validates the arguments (the name is valid already) and, in the same pass, finds the top-level arguments
    /// named in <paramref name="wanted"/>: <paramref name="found"/>[i] is set for slot i when present, and left
    /// undefined when absent. <paramref name="unescaped"/> tells that the arguments' JSON text has no escape at all.
    /// </summary>
    public static DecisionOutcome? ValidateArguments(in ToolCall call, PolicyEngineOptions options, WantedArgs wanted, Span<FoundArg> found, out bool unescaped)
    {
        unescaped = false;
        var budget = new Budget(options.MaxArgumentValues, options.MaxArgumentStringBytes);
        if (call.ArgumentsDictionary is { } dict)
        {
            return dict is Dictionary<string, JsonElement> concrete ? WalkMembers(concrete, ref budget) : WalkMembers(dict, ref budget);
        }

        switch (call.Arguments.ValueKind)
        {
            case JsonValueKind.Undefined:
                return null;
            case JsonValueKind.Object:
                var text = JsonMarshal.GetRawUtf8Value(call.Arguments);

                // One vectorized search of the whole text instead of one per name and per string value: escapes are rare.
                unescaped = text.IndexOf((byte)'\\') < 0;

                // Every value and name takes at least one byte of the text and no string is longer than the text,
                // so a text within both caps cannot exceed either: nothing to count.
                if (text.Length <= options.MaxArgumentValues && text.Length <= options.MaxArgumentStringBytes)
                {
                    budget = Budget.Unlimited;
                }

                return WalkObject(call.Arguments, 1, ref budget, wanted, found, unescaped);
            default:
                return Outcomes.ArgumentsNotObject;
        }
    }

    // The concrete overload enumerates with the struct enumerator: no allocation for the MCP SDK's Dictionary.
    private static DecisionOutcome? WalkMembers(Dictionary<string, JsonElement> members, ref Budget budget)
    {
        foreach (var (key, value) in members)
        {
            if ((budget.Take(key.Length) ?? Walk(value, 2, ref budget, unescaped: false)) is { } invalid)
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
            if ((budget.Take(key.Length) ?? Walk(value, 2, ref budget, unescaped: false)) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static DecisionOutcome? Walk(JsonElement value, int depth, ref Budget budget, bool unescaped)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                return depth > MaxDepth ? Outcomes.TooDeep : WalkObject(value, depth, ref budget, WantedArgs.None, default, unescaped);
            case JsonValueKind.Array:
                if (depth > MaxDepth)
                {
                    return Outcomes.TooDeep;
                }

                foreach (var item in value.EnumerateArray())
                {
                    if (Walk(item, depth + 1, ref budget, unescaped) is { } o)
                    {
                        return o;
                    }
                }

                return budget.Take(0);
            case JsonValueKind.String:
                return budget.TakeString(value);
            default:
                return budget.Take(0);
        }
    }

    // Scalars, the common case, without a call; containers recurse.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static DecisionOutcome? WalkValue(JsonElement value, JsonValueKind kind, int depth, ref Budget budget, bool unescaped) => kind switch
    {
        JsonValueKind.String => budget.TakeString(value),
        JsonValueKind.Object or JsonValueKind.Array => Walk(value, depth, ref budget, unescaped),
        _ => budget.Take(0),
    };

    private static DecisionOutcome? WalkObject(JsonElement obj, int depth, ref Budget budget, WantedArgs wanted, Span<FoundArg> found, bool unescaped)
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
            if ((budget.Take(name.Length) ?? WalkValue(value, kind, depth + 1, ref budget, unescaped)) is { } invalid)
            {
                return invalid;
            }

            // An escaped name has other raw bytes than the same name unescaped: compare such names decoded,
            // and such objects' names by value.
            if (!unescaped && name.IndexOf((byte)'\\') >= 0)
            {
                needSet = true;
                if (wanted.Count > 0 && wanted.Find(Json.JsonText.GetName(property)) is var decoded and >= 0)
                {
                    found[decoded] = new FoundArg(value, kind);
                }

                continue;
            }

            // A cheap key (length, first and last byte) finds candidates; equal keys are compared exactly.
            uint key = ArgSlot.KeyOf(name);
            if (wanted.Find(key, name) is var slot and >= 0)
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
    private struct Budget
    {
        private readonly bool _unlimited;
        private readonly int _maxStringBytes;
        private int _values;

        public Budget(int values, int maxStringBytes)
        {
            _values = values;
            _maxStringBytes = maxStringBytes;
        }

        private Budget(bool unlimited) => _unlimited = unlimited;

        /// <summary>A budget for arguments too small to exceed the caps: nothing is counted.</summary>
        public static Budget Unlimited => new(unlimited: true);

        public DecisionOutcome? Take(int stringBytes)
        {
            if (_unlimited)
            {
                return null;
            }

            if (--_values < 0)
            {
                return Outcomes.TooManyValues;
            }

            return stringBytes > _maxStringBytes ? Outcomes.StringTooLong : null;
        }

        public DecisionOutcome? TakeString(JsonElement value) =>
            _unlimited ? null : Take(JsonMarshal.GetRawUtf8Value(value).Length - 2);
    }
}
