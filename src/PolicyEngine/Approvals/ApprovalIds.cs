using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PolicyEngine.Compilation;
using PolicyEngine.Json;

namespace PolicyEngine.Approvals;

/// <summary>
/// Approval ids bind an approval to one exact call: a SHA-256 over the policy's fingerprint, the session,
/// the tool and the RFC 8785 canonical arguments, with numbers kept exact where a double would round them. A replay with other arguments, from another session,
/// or under a changed policy gets another id.
/// </summary>
internal static class ApprovalIds
{
    public const string Prefix = "apr_";

    public static string For(CompiledPolicy policy, in ToolCall call) => For(policy, in call, CanonicalArguments(in call));

    public static string For(CompiledPolicy policy, in ToolCall call, string canonicalArguments)
    {
        var sb = new StringBuilder("policyengine-approval-v1\n");
        foreach (var part in (ReadOnlySpan<string>)[policy.Fingerprint, call.SessionId ?? "", call.Tool, canonicalArguments])
        {
            // Length-prefixed, so that no two different tuples can produce the same text.
            sb.Append(part.Length).Append(':').Append(part).Append('\n');
        }

        return Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
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
