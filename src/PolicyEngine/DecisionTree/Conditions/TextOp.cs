namespace PolicyEngine.DecisionTree.Conditions;

internal enum TextOp : byte
{
    StartsWith,
    EndsWith,
    Regex,
    Contains,
}
