namespace PolicyEngine.Compilation.Conditions;

internal enum OrderingOp : byte
{
    Lt,
    Lte,
    Gt,
    Gte,
}
