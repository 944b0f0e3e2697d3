namespace PolicyEngine.Compilation;

internal enum PathRoot : byte
{
    Args,
    Context,
    Session,
    Tool,
}
