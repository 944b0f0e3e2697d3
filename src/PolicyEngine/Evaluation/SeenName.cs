namespace PolicyEngine.Evaluation;

/// <summary>An unescaped ASCII name already met in an object: its folded key, and where its raw bytes lie in the object's text.</summary>
internal readonly record struct SeenName(uint Key, int Start, int Length);
