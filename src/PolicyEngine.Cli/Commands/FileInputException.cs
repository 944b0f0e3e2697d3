namespace PolicyEngine.Cli.Commands;

/// <summary>A file that could not be read, with a message fit for stderr.</summary>
internal sealed class FileInputException : Exception
{
    public FileInputException(string message, bool tooLarge = false)
        : base(message) => TooLarge = tooLarge;

    public FileInputException()
    {
    }

    public FileInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The file exists but is larger than the command accepts.</summary>
    public bool TooLarge { get; }
}
