namespace PolicyEngine.DecisionTree;

/// <summary>The arrays of rules in a block, by the key that holds them.</summary>
internal enum RuleKind : byte
{
    Require,
    DenyIf,
    ApproveIf,
}
