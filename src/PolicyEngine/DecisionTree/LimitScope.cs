namespace PolicyEngine.DecisionTree;

internal enum LimitScope : byte
{
    Session,
    Global,
    Value,
}
