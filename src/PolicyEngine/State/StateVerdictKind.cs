namespace PolicyEngine;

/// <summary>What a <see cref="PolicyStateStore"/> answered for one call.</summary>
public enum StateVerdictKind
{
    /// <summary>Every limit had room: all were spent, and the grant too when the call needed one.</summary>
    Acquired,

    /// <summary>Some limit lacked room: nothing was spent.</summary>
    Limited,

    /// <summary>The call needs a grant and none is there: the request was recorded, nothing was spent.</summary>
    GrantMissing,
}
