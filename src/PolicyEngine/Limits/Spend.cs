namespace PolicyEngine.Limits;

/// <summary>One spend of an allowed call: the counter, the time the counter recorded it at, and the amount.</summary>
internal readonly record struct Spend(WindowCounter Counter, long At, decimal Amount);
