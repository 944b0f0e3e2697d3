namespace PolicyEngine.DecisionTree;

internal enum PathRoot : byte
{
    Args,
    Context,
    Session,
    Tool,
}
