using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PolicyEngine.Hosting;

/// <summary>
/// Reads an engine's settings from a configuration section: <c>Path</c> (required), <c>Watch</c> (default
/// <see langword="false"/>), <c>Refunds</c> (<see cref="RefundScope"/> by name) and the caps of <see cref="PolicyEngineOptions"/> by their property names. An unknown key
/// or a value of the wrong form is an error that names the key, as an unknown key in a policy is.
/// </summary>
internal static class PolicyEngineConfiguration
{
    private const string PathKey = "Path";
    private const string WatchKey = "Watch";
    private const string RefundsKey = nameof(PolicyEngineOptions.Refunds);

    // Each cap with its least value, the one PolicyEngineOptions checks (0 turns the tool-name memo off).
    private static readonly Dictionary<string, (Action<PolicyEngineOptions, int> Set, int Min)> Caps = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(PolicyEngineOptions.MaxTrackedLimitKeys)] = ((o, v) => o.MaxTrackedLimitKeys = v, 1),
        [nameof(PolicyEngineOptions.MaxPendingApprovals)] = ((o, v) => o.MaxPendingApprovals = v, 1),
        [nameof(PolicyEngineOptions.MaxPendingApprovalsPerSession)] = ((o, v) => o.MaxPendingApprovalsPerSession = v, 1),
        [nameof(PolicyEngineOptions.MaxArgumentValues)] = ((o, v) => o.MaxArgumentValues = v, 1),
        [nameof(PolicyEngineOptions.MaxArgumentStringBytes)] = ((o, v) => o.MaxArgumentStringBytes = v, 1),
        [nameof(PolicyEngineOptions.MaxResolvedToolNames)] = ((o, v) => o.MaxResolvedToolNames = v, 0),
    };

    public static void Apply(IConfiguration section, PolicyEngineBuilder builder)
    {
        var where = section is IConfigurationSection { Path: { Length: > 0 } path } ? path + ":" : "";
        var caps = new List<(Action<PolicyEngineOptions, int> Set, int Value)>();
        string? policyPath = null;
        var watch = false;
        RefundScope? refunds = null;
        foreach (var child in section.GetChildren())
        {
            var key = where + child.Key;
            if (child.Key.Equals(PathKey, StringComparison.OrdinalIgnoreCase))
            {
                policyPath = child.Value;
            }
            else if (child.Key.Equals(WatchKey, StringComparison.OrdinalIgnoreCase))
            {
                watch = bool.TryParse(child.Value, out var value)
                    ? value
                    : throw Invalid(key, $"is '{child.Value}', not true or false");
            }
            else if (child.Key.Equals(RefundsKey, StringComparison.OrdinalIgnoreCase))
            {
                refunds = Enum.GetNames<RefundScope>().FirstOrDefault(n => n.Equals(child.Value, StringComparison.OrdinalIgnoreCase)) is { } name
                    ? Enum.Parse<RefundScope>(name)
                    : throw Invalid(key, $"is '{child.Value}', not {string.Join(", ", Enum.GetNames<RefundScope>())}");
            }
            else if (Caps.TryGetValue(child.Key, out var cap))
            {
                var value = int.TryParse(child.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= cap.Min
                    ? number
                    : throw Invalid(key, $"is '{child.Value}', not a whole number of at least {cap.Min}");
                caps.Add((cap.Set, value));
            }
            else
            {
                throw Invalid(key, $"is not a setting; the settings are {PathKey}, {WatchKey}, {RefundsKey}, {string.Join(", ", Caps.Keys)}");
            }
        }

        if (string.IsNullOrWhiteSpace(policyPath))
        {
            throw Invalid(where + PathKey, "is missing: it names the policy file (a relative path is resolved against the host's content root)");
        }

        builder.FromFile(policyPath, watch);
        if (refunds is { } scope)
        {
            builder.ConfigureOptions(options => options.Refunds = scope);
        }

        if (caps.Count > 0)
        {
            builder.ConfigureOptions(options => caps.ForEach(c => c.Set(options, c.Value)));
        }
    }

    private static InvalidOperationException Invalid(string key, string problem) =>
        new($"Policy engine configuration: {key} {problem}.");
}
