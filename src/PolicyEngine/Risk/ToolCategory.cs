namespace PolicyEngine;

/// <summary>
/// What a tool does, as <see cref="ToolRisk"/> reads it from its definition. When several apply,
/// the classification is the first in this order.
/// </summary>
public enum ToolCategory
{
    /// <summary>Moves or commits money or assets: orders, payments, transfers, refunds, trading.</summary>
    Financial,

    /// <summary>Runs code: shell commands, scripts, container images, SQL that writes, workflows.</summary>
    CodeExecution,

    /// <summary>Reads or changes secrets, tokens, keys, permissions or access.</summary>
    Credentials,

    /// <summary>Deletes, drops, cancels, overwrites or terminates something.</summary>
    Destructive,

    /// <summary>Sends messages, emails or posts that people see.</summary>
    Communication,

    /// <summary>Creates or changes state that is not money, code, credentials or messages.</summary>
    Write,

    /// <summary>Only reads.</summary>
    Read,
}
