namespace PolicyEngine.Testing;

/// <summary>What a step of a policy test asks for.</summary>
internal enum TestStepKind
{
    /// <summary><c>{"call": {call fields}}</c>: answered with a decision.</summary>
    Call,

    /// <summary><c>{"raw": "one line"}</c>: a line of <c>policyengine eval</c>, byte for byte.</summary>
    Raw,

    /// <summary><c>{"approve": {call fields}}</c>: answered with <c>{"approved": bool}</c>.</summary>
    Approve,

    /// <summary><c>{"reload": {policy}}</c>: answered with <c>{"reloaded": bool, "errors"?}</c>.</summary>
    Reload,
}
