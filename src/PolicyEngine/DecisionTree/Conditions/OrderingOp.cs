namespace PolicyEngine.DecisionTree.Conditions;

internal enum OrderingOp : byte
{
    Lt,
    Lte,
    Gt,
    Gte,
}
