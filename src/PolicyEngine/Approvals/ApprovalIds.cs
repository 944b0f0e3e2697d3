using System.Security.Cryptography;
using System.Text.Json;
using PolicyEngine.Json;
using PolicyEngine.DecisionTree;

namespace PolicyEngine.Approvals;

/// <summary>
/// Approval ids bind an approval to one exact call: a SHA-256 over the policy's fingerprint, the session,
/// the tool and the RFC 8785 canonical arguments, with numbers kept exact where a double would round them.
/// A replay with other arguments, from another session, or under a changed policy gets another id. The parts
/// are hashed as their exact UTF-16 code units, length-prefixed: session ids that differ only in a lone
/// surrogate (which has no UTF-8 form) get different ids.
/// </summary>
internal static class ApprovalIds
{
    public const string Prefix = "apr_";

    public static string For(CompiledPolicy policy, in ToolCall call) => For(policy, in call, CanonicalArguments(in call));

    public static string For(CompiledPolicy policy, in ToolCall call, string canonicalArguments)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Stryker disable once Statement : equivalent. Ids are opaque and only ever compared with each other, so
        // no behaviour sees this domain tag; it keeps these digests apart from any other SHA-256 of the same parts.
        hash.AppendData("policyengine-approval-v2\n"u8);
        Span<byte> length = stackalloc byte[sizeof(int)];
        foreach (var part in (ReadOnlySpan<string>)[policy.Fingerprint, call.SessionId ?? "", call.Tool, canonicalArguments])
        {
            // Length-prefixed, so that no two different tuples can produce the same bytes.
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, part.Length);
            hash.AppendData(length);
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(part.AsSpan()));
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Prefix + Convert.ToHexStringLower(digest);
    }

    public static string CanonicalArguments(in ToolCall call)
    {
        if (call.ArgumentsDictionary is { } dict)
        {
            return CanonicalJson.Serialize(dict, exactNumbers: true);
        }

        return call.Arguments.ValueKind == JsonValueKind.Undefined ? "{}" : CanonicalJson.Serialize(call.Arguments, exactNumbers: true);
    }
}
