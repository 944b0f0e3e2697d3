using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using PolicyEngine.DecisionTree;
using PolicyEngine.Arguments;

namespace PolicyEngine.Evaluation;

/// <summary>
/// docs/policy-language.md#evaluating-a-call step 1: finds invalid calls in one pass over the arguments, in place. Duplicate keys matter
/// because <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> picks one while the tool may pick the
/// other; names that differ only in letter case, because a binder that ignores case reads them as one (<see cref="NameCollisions"/>).
/// </summary>
internal static class CallValidator
{
    /// <summary>Escaped or non-ASCII name bytes: such names are compared decoded (non-ASCII ones can only collide with each other).</summary>
    private static readonly SearchValues<byte> DecodedNameBytes = SearchValues.Create([(byte)'\\', .. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

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

                // One vectorized search of the whole text instead of one per name and per value: escapes and nested
                // containers are rare in tool arguments. A '{' or '[' inside a string only costs the general walk.
                var inner = text[1..];
                int special = inner.IndexOfAny((byte)'\\', (byte)'{', (byte)'[');
                unescaped = special < 0 || inner[special..].IndexOf((byte)'\\') < 0;

                // Every value and name takes at least one byte of the text and no string is longer than the text,
                // so a text within both caps cannot exceed either: nothing to count.
                if (text.Length <= options.MaxArgumentValues && text.Length <= options.MaxArgumentStringBytes)
                {
                    budget = Budget.Unlimited;
                    if (special < 0)
                    {
                        // Only scalars, no escape, nothing to count: only the found values' kinds need reading.
                        return WalkObject(call.Arguments, text, 1, ref budget, wanted, found, unescaped: true, flat: true);
                    }
                }

                return WalkObject(call.Arguments, text, 1, ref budget, wanted, found, unescaped, flat: false);
            default:
                return Outcomes.ArgumentsNotObject;
        }
    }

    // The concrete overload enumerates with the struct enumerator: no allocation for the MCP SDK's Dictionary.
    private static DecisionOutcome? WalkMembers(Dictionary<string, JsonElement> members, ref Budget budget)
    {
        var names = default(NameSet);
        foreach (var (key, value) in members)
        {
            if ((budget.Take(key.Length) ?? names.Add(key) ?? Walk(value, 2, ref budget, unescaped: false)) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static DecisionOutcome? WalkMembers(IDictionary<string, JsonElement> members, ref Budget budget)
    {
        var names = default(NameSet);
        foreach (var (key, value) in members)
        {
            if ((budget.Take(key.Length) ?? names.Add(key) ?? Walk(value, 2, ref budget, unescaped: false)) is { } invalid)
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
                return depth > ArgumentLimits.MaxDepth
                    ? Outcomes.TooDeep
                    : WalkObject(value, JsonMarshal.GetRawUtf8Value(value), depth, ref budget, WantedArgs.None, default, unescaped, flat: false);
            case JsonValueKind.Array:
                if (depth > ArgumentLimits.MaxDepth)
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

    /// <summary>
    /// One object: its values (unless <paramref name="flat"/>: then it holds only scalars and nothing is counted),
    /// its names for duplicates, and at the top level the <paramref name="wanted"/> names. <paramref name="objText"/>
    /// is the object's raw text, in which its names and values lie.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // a loop with its own locals: inlined into Evaluate, it starves the inliner there
    private static DecisionOutcome? WalkObject(
        JsonElement obj, ReadOnlySpan<byte> objText, int depth, ref Budget budget, WantedArgs wanted, Span<FoundArg> found, bool unescaped, bool flat)
    {
        Unsafe.SkipInit(out SeenNames names); // only the first count entries are ever read
        var seen = default(KeyMask);
        int count = 0;
        bool needSet = false;
        ref byte origin = ref MemoryMarshal.GetReference(objText);
        foreach (var property in obj.EnumerateObject())
        {
            var name = JsonMarshal.GetRawUtf8PropertyName(property);
            var kind = JsonValueKind.Undefined; // read only where needed: each read is a call into the document
            if (!flat)
            {
                var value = property.Value;
                kind = value.ValueKind;
                if ((budget.Take(name.Length) ?? WalkValue(value, kind, depth + 1, ref budget, unescaped)) is { } invalid)
                {
                    return invalid;
                }
            }

            // An escaped name has other raw bytes than the same name unescaped, and a non-ASCII one may equal
            // another ignoring case in other bytes: compare such objects' names decoded, as .NET does.
            bool decode = name.IndexOfAny(DecodedNameBytes) >= 0;
            if (decode && !unescaped && name.IndexOf((byte)'\\') >= 0)
            {
                needSet = true;
                if (wanted.Count > 0 && wanted.Find(Json.JsonText.GetName(property)) is var decoded and >= 0)
                {
                    found[decoded] = Found(property.Value, kind);
                }

                continue;
            }

            // A cheap key (length, first and last byte) finds candidates; equal keys are compared exactly.
            uint key = ArgSlot.KeyOf(name);
            if (wanted.Find(key, name) is var slot and >= 0)
            {
                found[slot] = Found(property.Value, kind);
            }

            if (needSet)
            {
                continue;
            }

            long start = Unsafe.ByteOffset(ref origin, ref MemoryMarshal.GetReference(name));
            if (decode || count == NameCollisions.PairwiseLimit || (ulong)start + (ulong)name.Length > (ulong)objText.Length)
            {
                needSet = true;
                continue;
            }

            // ASCII names only: no non-ASCII character equals an ASCII one ignoring case, so ASCII rules suffice.
            uint folded = NameCollisions.FoldedKey(key);
            if (seen.MayContain(folded) && names.Find(objText, count, folded, name) is var met and >= 0)
            {
                return NameCollisions.Collision(objText.Slice(names[met].Start, names[met].Length), name);
            }

            seen.Add(folded);
            names[count++] = new SeenName(folded, (int)start, name.Length);
        }

        return needSet ? FindCollision(obj) : null;
    }

    private static FoundArg Found(JsonElement value, JsonValueKind kind) =>
        new(value, kind == JsonValueKind.Undefined ? value.ValueKind : kind);

    private static DecisionOutcome? FindCollision(JsonElement obj)
    {
        var names = default(NameSet);
        foreach (var property in obj.EnumerateObject())
        {
            if (names.Add(Json.JsonText.GetName(property)) is { } collision)
            {
                return collision;
            }
        }

        return null;
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
