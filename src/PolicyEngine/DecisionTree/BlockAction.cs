namespace PolicyEngine.DecisionTree;

/// <summary>The <c>action</c> of a tools entry, when it decides something.</summary>
internal enum BlockAction : byte
{
    None,
    Deny,
    RequireApproval,
}
