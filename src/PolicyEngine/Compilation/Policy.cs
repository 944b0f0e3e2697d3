using System.Diagnostics.CodeAnalysis;
using PolicyEngine.Compilation;
using PolicyEngine.DecisionTree;
using PolicyEngine.Document;

namespace PolicyEngine;

/// <summary>
/// A validated, compiled policy document: an immutable decision tree. Compile once, share freely across
/// threads and evaluators; evaluate with a <see cref="PolicyEvaluator"/>. A document with any error is
/// rejected whole: nothing of it is ever used. Documents are JSON, or YAML limited to the JSON data model: YAML
/// when the text does not start like JSON (<c>{</c>), and always for a <c>.yaml</c> / <c>.yml</c> file read by
/// <see cref="LoadFile"/> or a file watcher.
/// </summary>
public sealed class Policy
{
    /// <summary>The largest document accepted, in UTF-8 bytes (16 MiB).</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    internal Policy(CompiledPolicy compiled) => Compiled = compiled;

    internal CompiledPolicy Compiled { get; }

    /// <summary><c>sha256:</c> and the hex SHA-256 of the document's RFC 8785 canonical JSON; changes with any change of meaning.</summary>
    public string Fingerprint => Compiled.Fingerprint;

    /// <summary>What happens to a tool that no <c>tools</c> key matches.</summary>
    public PolicyEffect Default => Compiled.DefaultAllows ? PolicyEffect.Allow : PolicyEffect.Deny;

    /// <summary>Enforce or shadow.</summary>
    public PolicyMode Mode => Compiled.Shadow ? PolicyMode.Shadow : PolicyMode.Enforce;

    /// <summary>How long a pending or granted approval stays valid (<c>approval_ttl</c>, default 15 minutes).</summary>
    public TimeSpan ApprovalTtl => Compiled.ApprovalTtl;

    /// <summary>Validates and compiles a policy document.</summary>
    /// <param name="json">The document text.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="PolicyValidationException">The document is invalid; every error is listed.</exception>
    public static Policy Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(json, out var policy, out var errors) ? policy : throw new PolicyValidationException(errors);
    }

    /// <summary>Validates and compiles a policy document given as UTF-8 bytes.</summary>
    /// <param name="utf8Json">The document, UTF-8 encoded (a byte order mark is allowed).</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="PolicyValidationException">The document is invalid; every error is listed.</exception>
    public static Policy Parse(ReadOnlySpan<byte> utf8Json) =>
        TryParse(utf8Json, out var policy, out var errors) ? policy : throw new PolicyValidationException(errors);

    /// <summary>Reads a stream to its end and compiles the document in it.</summary>
    /// <param name="utf8Json">A stream of UTF-8 JSON; it is not closed.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="PolicyValidationException">The document is invalid, or larger than <see cref="MaxDocumentBytes"/>.</exception>
    public static Policy Load(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return Parse(ReadBounded(utf8Json));
    }

    /// <summary>Reads a file and compiles the document in it.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="PolicyValidationException">The document is invalid, or larger than <see cref="MaxDocumentBytes"/>;
    /// the message names the file and lists every error as <c>FILE:LINE:COL: POINTER: message</c>.</exception>
    public static Policy LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        byte[] bytes;
        using (var stream = File.OpenRead(fullPath))
        {
            try
            {
                bytes = ReadBounded(stream);
            }
            catch (PolicyValidationException tooLarge)
            {
                throw new PolicyValidationException(fullPath, tooLarge.Errors);
            }
        }

        return TryParseFile(bytes, fullPath, out var policy, out var errors) ? policy : throw new PolicyValidationException(fullPath, errors);
    }

    /// <summary>Compiles a file's content: YAML for a <c>.yaml</c> / <c>.yml</c> path (<see cref="IsYamlPath"/>), else told by the content.</summary>
    internal static bool TryParseFile(ReadOnlySpan<byte> utf8, string path, [NotNullWhen(true)] out Policy? policy, out IReadOnlyList<PolicyError> errors)
    {
        policy = PolicyCompiler.TryCompile(utf8, out var compiled, out errors, IsYamlPath(path) ? true : null) ? new Policy(compiled) : null;
        return policy is not null;
    }

    /// <summary>A <c>.yaml</c> or <c>.yml</c> file is read as YAML whatever it starts with; other files are told by their content.</summary>
    internal static bool IsYamlPath(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    /// <summary>Validates and compiles a document without throwing for an invalid one.</summary>
    /// <param name="json">The document text.</param>
    /// <param name="policy">The compiled policy, when valid.</param>
    /// <param name="errors">Every error found; empty when valid.</param>
    /// <returns><see langword="true"/> when the document is valid.</returns>
    public static bool TryParse(string json, [NotNullWhen(true)] out Policy? policy, out IReadOnlyList<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        return TryParse(System.Text.Encoding.UTF8.GetBytes(json), out policy, out errors);
    }

    /// <summary>Validates and compiles a UTF-8 document without throwing for an invalid one.</summary>
    /// <param name="utf8Json">The document, UTF-8 encoded.</param>
    /// <param name="policy">The compiled policy, when valid.</param>
    /// <param name="errors">Every error found; empty when valid.</param>
    /// <returns><see langword="true"/> when the document is valid.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out Policy? policy, out IReadOnlyList<PolicyError> errors)
    {
        if (PolicyCompiler.TryCompile(utf8Json, out var compiled, out errors))
        {
            policy = new Policy(compiled);
            return true;
        }

        policy = null;
        return false;
    }

    /// <summary>
    /// Writes a PolicyLayer Intercept document (YAML or JSON) as the equivalent document in this engine's JSON form
    /// (docs/intercept.md). Fails, with every reason, when the document is invalid or when some part would be more
    /// permissive in the JSON form; then nothing is written.
    /// </summary>
    /// <param name="utf8">The Intercept document, UTF-8 encoded.</param>
    /// <param name="json">The converted document, when the conversion succeeds.</param>
    /// <param name="errors">Every error and every part that cannot be converted exactly; empty on success.</param>
    /// <returns><see langword="true"/> when the document was converted.</returns>
    public static bool TryConvertIntercept(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out string? json, out IReadOnlyList<PolicyError> errors) =>
        Intercept.InterceptConversion.TryConvert(utf8, out json, out errors);

    private static byte[] ReadBounded(Stream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxDocumentBytes)
            {
                throw new PolicyValidationException(
                    [new PolicyError("", 1, 1, ValidationMessages.DocumentTooLarge(MaxDocumentBytes))]);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
