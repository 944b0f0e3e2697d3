namespace PolicyEngine.Document;

internal enum JKind : byte
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}
