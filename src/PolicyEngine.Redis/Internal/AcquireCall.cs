using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>The keys and arguments of one Acquire script call (Scripts/Acquire.lua), and the verdict read from its answer.</summary>
internal static class AcquireCall
{
    private const int Fixed = 3; // ARGV before the charges: now, n, whether the recorded times are wanted
    private const int GrantFixed = 18; // the same with a grant: prefix, now, n, fingerprint, grant, id, then the request
    private const int PerCharge = 2; // the limit (CounterArguments.Constants.Text) and the cost

    /// <summary>The script to run: a call that needs no grant runs the shorter one, without the approval functions.</summary>
    public static RedisScripts.Script Script(StateRequest request) => request.GrantId is null ? RedisScripts.Acquire : RedisScripts.AcquireGrant;

    public static (RedisKey[] Keys, RedisValue[] Values) Build(StateRequest request, RedisKeys keys, RedisValue now)
    {
        var charges = request.Charges;
        int n = charges.Count;
        bool grant = request.GrantId is not null;
        int fixedValues = grant ? GrantFixed : Fixed;
        var keyList = new RedisKey[(2 * n) + (grant ? 7 : 0)];
        var values = new RedisValue[fixedValues + (n * PerCharge)];
        for (int i = 0; i < n; i++)
        {
            var charge = charges[i];
            (keyList[2 * i], keyList[(2 * i) + 1]) = keys.Counter(in charge);
            EnsureOnce(charges, i);

            int at = fixedValues + (i * PerCharge);
            values[at] = CounterArguments.Constants.Text(in charge);
            values[at + 1] = Amounts.Value(charge.Cost);
        }

        if (!grant)
        {
            values[0] = now;
            values[1] = n;
            values[2] = WantsTimes(request) ? 1 : 0;
            return (keyList, values);
        }

        values[0] = keys.Tag;
        values[1] = now;
        values[2] = n;
        values[3] = request.PolicyFingerprint;
        values[4] = request.KeepGrant ? "keep" : "take";
        values[5] = request.GrantId;
        var pending = request.Pending;
        values[6] = pending is null ? "0" : "1";
        values[7] = Microseconds.Of(request.ApprovalTtl);
        values[8] = request.MaxPendingApprovals;
        values[9] = request.MaxPendingApprovalsPerSession;
        // The per-session cap counts the whole session (StateRequest.SessionKey), not its 64-char preview, which two sessions may share.
        string session = RedisKeys.Digest(request.SessionKey ?? pending?.SessionId ?? "");
        values[10] = session;
        values[11] = pending?.Tool ?? "";
        values[12] = pending?.SessionId ?? "";
        values[13] = pending?.Arguments ?? "";
        values[14] = Optional(pending?.Rule);
        values[15] = Optional(pending?.Message);
        values[16] = pending?.RequestedAt.UtcTicks ?? 0;
        values[17] = pending?.ArgumentsTruncated == true ? "1" : "0";
        string id = request.GrantId!;
        int a = 2 * n;
        keyList[a] = keys.Grant(id);
        keyList[a + 1] = keys.Grants;
        keyList[a + 2] = keys.Pending(id);
        keyList[a + 3] = keys.Session(session);
        keyList[a + 4] = keys.AllPending;
        keyList[a + 5] = keys.PendingExpiry;
        keyList[a + 6] = keys.Sequence;
        return (keyList, values);
    }

    /// <summary>
    /// <c>FCALL</c>'s arguments for a call with no grant (function, key count, keys, then the values Acquire.lua reads),
    /// from the counters' cached boxes (<see cref="CounterArguments"/>): the hot path's only allocations here are this
    /// array and, on the client clock, its time.
    /// </summary>
    public static object[] FunctionArguments(StateRequest request, RedisKeys keys, RedisScripts.Script script, object now)
    {
        var charges = request.Charges;
        int n = charges.Count;
        int valuesAt = 2 + (2 * n);
        var arguments = new object[valuesAt + Fixed + (n * PerCharge)];
        arguments[0] = script.Function;
        arguments[1] = Boxes.Small(2 * n);
        arguments[valuesAt] = now;
        arguments[valuesAt + 1] = Boxes.Small(n);
        arguments[valuesAt + 2] = Boxes.Small(WantsTimes(request) ? 1 : 0);
        for (int i = 0; i < n; i++)
        {
            var charge = charges[i];
            var counter = keys.CounterArguments(in charge);
            EnsureOnce(charges, i);

            arguments[2 + (2 * i)] = counter.StateBox;
            arguments[3 + (2 * i)] = counter.EntriesBox;
            int at = valuesAt + Fixed + (i * PerCharge);
            arguments[at] = counter.For(in charge).Limit;
            arguments[at + 1] = Boxes.Amount(charge.Cost);
        }

        return arguments;
    }

    /// <summary>
    /// The script loads each counter once a call: a counter met twice (the same limit and partition, so the same keys)
    /// fails the call, closed, rather than corrupt the counter.
    /// </summary>
    private static void EnsureOnce(IReadOnlyList<LimitCharge> charges, int index)
    {
        var charge = charges[index];
        for (int j = 0; j < index; j++)
        {
            if (string.Equals(charges[j].Limit, charge.Limit, StringComparison.Ordinal)
                && string.Equals(charges[j].Partition, charge.Partition, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("One counter appeared twice in a call's limits.");
            }
        }
    }

    /// <summary>Null as '', text as '=' and the text: the scripts keep null and the empty string apart.</summary>
    public static string Optional(string? text) => text is null ? "" : "=" + text;

    public static string? FromOptional(string text) => text.Length == 0 ? null : text[1..];

    /// <summary>Whether the receipt needs the times the script recorded the spends at: only a refundable spend above zero does.</summary>
    private static bool WantsTimes(StateRequest request)
    {
        foreach (var charge in request.Charges)
        {
            if (charge.Refundable && charge.Cost > 0)
            {
                return true;
            }
        }

        return false;
    }

    public static StateVerdict Read(StateRequest request, RedisResult result)
    {
        if (result.Resp2Type == ResultType.Integer && request.GrantId is null && !WantsTimes(request))
        {
            // Acquire.lua's short answer: acquired, no times (asked for none).
            return (long)result == 0 ? StateVerdict.Acquired(null) : throw new InvalidOperationException($"The Redis acquire script answered {result}.");
        }

        var answer = (RedisResult[])result!;
        switch ((int)answer[0])
        {
            case 0:
                return StateVerdict.Acquired(Receipt(request, answer));
            case 1:
                long wait = (long)answer[2];
                return StateVerdict.Limited((int)answer[1], wait < 0 ? null : Microseconds.ToTimeSpan(wait));
            case 2:
                return StateVerdict.GrantMissing;
            default:
                throw new InvalidOperationException($"The Redis acquire script answered {answer[0]}.");
        }
    }

    /// <summary>The refundable spends of an allowed call (cost above zero, on a refundable limit), with the times the script recorded them at.</summary>
    private static StateReceipt? Receipt(StateRequest request, RedisResult[] answer)
    {
        var charges = request.Charges;
        List<LimitCharge>? spent = null;
        List<long>? times = null;
        for (int i = 0; i < charges.Count; i++)
        {
            if (charges[i].Refundable && charges[i].Cost > 0)
            {
                (spent ??= []).Add(charges[i]);
                (times ??= []).Add((long)answer[i + 1]);
            }
        }

        return spent is null ? null : new StateReceipt(spent, times!);
    }
}
