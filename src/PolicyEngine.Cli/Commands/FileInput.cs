namespace PolicyEngine.Cli.Commands;

/// <summary>Opens input files with clear messages for the usual failures.</summary>
internal static class FileInput
{
    /// <summary>Opens a file for reading; <c>-</c> is stdin.</summary>
    public static Stream Open(string path)
    {
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }

        // Opening a directory fails with "Access to the path is denied", which sends the user to check permissions.
        if (Directory.Exists(path))
        {
            throw new FileInputException($"{path}: is a directory, not a file");
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileInputException($"{path}: no such file", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or ArgumentException or NotSupportedException)
        {
            throw new FileInputException($"{path}: cannot read: {e.Message}", e);
        }
    }

    /// <summary>Reads a whole policy file, or says on <paramref name="stderr"/> why it cannot (null: exit <see cref="ExitCodes.Failure"/>).</summary>
    public static byte[]? ReadPolicy(string path, TextWriter stderr)
    {
        try
        {
            return ReadAllBytes(path, Policy.MaxDocumentBytes);
        }
        catch (FileInputException e)
        {
            stderr.WriteLine($"policyengine: {e.Message}");
            return null;
        }
    }

    /// <summary>Reads a whole file, refusing one longer than <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAllBytes(string path, int maxBytes)
    {
        using var stream = Open(path);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new FileInputException($"{path}: larger than {maxBytes} bytes", tooLarge: true);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileInputException($"{path}: cannot read: {e.Message}", e);
        }

        return buffer.ToArray();
    }
}
