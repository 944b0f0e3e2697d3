namespace PolicyEngine.Linting;

/// <summary>One finding: the check's code, where (a JSON Pointer and its position in the source) and why.</summary>
internal sealed record LintFinding(string Code, string Pointer, int Line, int Column, string Message)
{
    /// <summary><c>FILE:LINE:COL: POINTER: PEnnnn message</c>, the line format of <c>validate</c> with the code added.</summary>
    public string Format(string file) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{file}:{Line}:{Column}: {Pointer}: {Code} {Message}");
}
