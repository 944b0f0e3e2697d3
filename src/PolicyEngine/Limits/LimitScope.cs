namespace PolicyEngine.Limits;

internal enum LimitScope : byte
{
    Session,
    Global,
    Value,
}
