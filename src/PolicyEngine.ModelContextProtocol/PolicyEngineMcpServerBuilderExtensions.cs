using PolicyEngine.ModelContextProtocol;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts an MCP server under a PolicyEngine policy.</summary>
public static class PolicyEngineMcpServerBuilderExtensions
{
    /// <summary>
    /// Evaluates every tool call against the policy engine registered with <c>AddPolicyEngine</c> before the tool runs,
    /// and removes hidden tools from <c>tools/list</c>. A call that is not allowed gets a tool result with
    /// <c>IsError = true</c> (see <see cref="McpPolicyResults"/>), never a transport error.
    /// </summary>
    /// <param name="builder">The MCP server builder.</param>
    /// <returns>The builder.</returns>
    public static IMcpServerBuilder WithPolicyEngine(this IMcpServerBuilder builder) => builder.WithPolicyEngine(static _ => { });

    /// <summary>
    /// Evaluates every tool call against the policy engine registered with <c>AddPolicyEngine</c> before the tool runs,
    /// and removes hidden tools from <c>tools/list</c>, with adjusted options.
    /// </summary>
    /// <param name="builder">The MCP server builder.</param>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>The builder.</returns>
    public static IMcpServerBuilder WithPolicyEngine(this IMcpServerBuilder builder, Action<McpPolicyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new McpPolicyOptions();
        configure(options);
        var filter = new McpPolicyFilter(options.Validated());
        return builder.WithRequestFilters(filters =>
        {
            filters.AddCallToolFilter(filter.CallTool);
            if (options.FilterToolList)
            {
                filters.AddListToolsFilter(filter.ListTools);
            }
        });
    }

    /// <summary>
    /// The one-line setup: registers the default policy engine from a file that is reloaded when it changes, and
    /// enforces it on every tool call (see <see cref="WithPolicyEngine(IMcpServerBuilder)"/>). The file is loaded and
    /// validated when the host starts: a missing or invalid policy stops the start, with the file and every
    /// <c>FILE:LINE:COL: POINTER: message</c> in the exception and the log.
    /// </summary>
    /// <param name="builder">The MCP server builder.</param>
    /// <param name="policyFile">The policy file; a relative path is resolved against the host's content root
    /// (<c>IHostEnvironment.ContentRootPath</c>), not the current directory.</param>
    /// <returns>The builder.</returns>
    public static IMcpServerBuilder WithPolicyEngine(this IMcpServerBuilder builder, string policyFile) =>
        builder.WithPolicyEngine(policyFile, static _ => { });

    /// <summary>Registers the default policy engine from a watched file and enforces it, with adjusted options.</summary>
    /// <param name="builder">The MCP server builder.</param>
    /// <param name="policyFile">The policy file; a relative path is resolved against the host's content root.</param>
    /// <param name="configure">Adjusts the options; <see cref="McpPolicyOptions.PolicyName"/> must stay <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IMcpServerBuilder WithPolicyEngine(this IMcpServerBuilder builder, string policyFile, Action<McpPolicyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(policyFile);
        ArgumentNullException.ThrowIfNull(configure);
        var result = builder.WithPolicyEngine(options =>
        {
            configure(options);
            if (options.PolicyName is not null)
            {
                throw new ArgumentException("The policy file registers the default engine; register a named one with AddPolicyEngine(name, ...).", nameof(configure));
            }
        });
        builder.Services.AddPolicyEngine(engine => engine.FromFile(policyFile, watch: true));
        return result;
    }
}
