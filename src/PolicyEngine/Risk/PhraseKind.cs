namespace PolicyEngine.Risk;

/// <summary>The kinds of description phrases.</summary>
internal enum PhraseKind
{
    Caution,
    Mass,
    ReadOnly,
    Money,
    Credential,
    Overwrite,
    Sql,
}
