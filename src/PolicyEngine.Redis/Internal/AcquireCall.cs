using StackExchange.Redis;

namespace PolicyEngine.Redis.Internal;

/// <summary>The keys and arguments of one Acquire script call (Scripts/Acquire.lua), and the verdict read from its answer.</summary>
internal static class AcquireCall
{
    private const int Fixed = 18; // ARGV before the charges
    private const int PerCharge = 5;

    public static (RedisKey[] Keys, RedisValue[] Values) Build(StateRequest request, RedisKeys keys, RedisValue now)
    {
        var charges = request.Charges;
        int n = charges.Count;
        bool grant = request.GrantId is not null;
        var keyList = new RedisKey[n + (grant ? 7 : 0)];
        var values = new RedisValue[Fixed + (n * PerCharge)];
        for (int i = 0; i < n; i++)
        {
            var charge = charges[i];
            keyList[i] = keys.Counter(in charge);
            for (int j = 0; j < i; j++)
            {
                if (keyList[j] == keyList[i])
                {
                    // The script takes each counter's state off its list once; fail closed rather than corrupt it.
                    throw new InvalidOperationException("One counter appeared twice in a call's limits.");
                }
            }

            int at = Fixed + (i * PerCharge);
            values[at] = Microseconds.Of(charge.Window);
            values[at + 1] = charge.Calendar ? "1" : "0";
            values[at + 2] = Amounts.Format(charge.Max);
            values[at + 3] = Amounts.Format(charge.Cost);
            values[at + 4] = Microseconds.Of(charge.Fold);
        }

        values[0] = keys.Tag;
        values[1] = now;
        values[2] = n;
        values[3] = request.PolicyFingerprint;
        values[4] = !grant ? "" : request.KeepGrant ? "keep" : "take";
        values[5] = request.GrantId ?? "";
        var pending = request.Pending;
        values[6] = pending is null ? "0" : "1";
        values[7] = Microseconds.Of(request.ApprovalTtl);
        values[8] = request.MaxPendingApprovals;
        values[9] = request.MaxPendingApprovalsPerSession;
        string session = RedisKeys.Digest(pending?.SessionId ?? "");
        values[10] = session;
        values[11] = pending?.Tool ?? "";
        values[12] = pending?.SessionId ?? "";
        values[13] = pending?.Arguments ?? "";
        values[14] = Optional(pending?.Rule);
        values[15] = Optional(pending?.Message);
        values[16] = pending?.RequestedAt.UtcTicks ?? 0;
        values[17] = pending?.ArgumentsTruncated == true ? "1" : "0";
        if (grant)
        {
            string id = request.GrantId!;
            keyList[n] = keys.Grant(id);
            keyList[n + 1] = keys.Grants;
            keyList[n + 2] = keys.Pending(id);
            keyList[n + 3] = keys.Session(session);
            keyList[n + 4] = keys.AllPending;
            keyList[n + 5] = keys.PendingExpiry;
            keyList[n + 6] = keys.Sequence;
        }

        return (keyList, values);
    }

    /// <summary>Null as '', text as '=' and the text: the scripts keep null and the empty string apart.</summary>
    public static string Optional(string? text) => text is null ? "" : "=" + text;

    public static string? FromOptional(string text) => text.Length == 0 ? null : text[1..];

    public static StateVerdict Read(StateRequest request, RedisResult result)
    {
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
