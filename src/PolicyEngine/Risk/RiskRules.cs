namespace PolicyEngine.Risk;

/// <summary>
/// Turns the signals of a definition into a category and a level (docs/risk.md states these rules in words). The
/// category is the first that applies in <see cref="ToolCategory"/> order; annotations are applied last, so that a
/// declared <c>destructiveHint</c> is never below high and <c>readOnlyHint</c> lowers the level unless money is involved.
/// </summary>
internal static class RiskRules
{
    private const VerbClass Changes = ~VerbClass.Read & ~VerbClass.None;

    public static (ToolCategory Category, ToolRiskLevel Level) Decide(ToolEvidence e)
    {
        var (category, level) = Classify(e);
        var facts = e.Facts;
        var fromChange = (e.Actions & Changes) != 0;
        if (facts.ReadOnlyHint == true && fromChange && category != ToolCategory.Financial && facts.DestructiveHint != true)
        {
            if (category == ToolCategory.Write)
            {
                category = ToolCategory.Read;
            }

            level = level == ToolRiskLevel.Low ? level : level - 1;
        }
        else if (facts.ReadOnlyHint == true && category == ToolCategory.Financial)
        {
            e.Reasons.Add("readOnlyHint not trusted: money is involved");
        }

        if (facts.DestructiveHint == true && level < ToolRiskLevel.High)
        {
            level = ToolRiskLevel.High;
        }

        return (category, level);
    }

    private static (ToolCategory, ToolRiskLevel) Classify(ToolEvidence e)
    {
        var acts = e.Actions;
        var changes = (acts & Changes) != 0;
        var readOnly = e.Facts.ReadOnlyHint == true || e.Says(PhraseKind.ReadOnly);
        var sql = e.Says(PhraseKind.Sql) || e.SqlReads || e.SqlWrites || e.Properties.HasFlag(PropertyKind.Code) && e.TakesQuery;
        var code = e.Nouns.HasFlag(NounKind.Code) || e.Properties.HasFlag(PropertyKind.Code) || (sql && e.TakesQuery);

        var financial = acts.HasFlag(VerbClass.Money) || e.Nouns.HasFlag(NounKind.Financial) ||
            (e.Properties.HasFlag(PropertyKind.Money) && e.Says(PhraseKind.Money));
        var trade = e.Nouns.HasFlag(NounKind.Financial) && e.Properties.HasFlag(PropertyKind.Trade);
        if (financial && (changes || acts == VerbClass.None))
        {
            return (ToolCategory.Financial, FinancialLevel(e, acts, trade));
        }

        if (acts.HasFlag(VerbClass.Execute) && code)
        {
            // A query the caller writes, on a tool that says it only reads: reading, but of anything.
            return readOnly && sql && !e.SqlWrites ? (ToolCategory.Read, ToolRiskLevel.Medium) : (ToolCategory.CodeExecution, ToolRiskLevel.Critical);
        }

        // A tool that changes something and takes SQL text runs whatever SQL it is given.
        if (sql && e.TakesQuery && changes)
        {
            return (ToolCategory.CodeExecution, ToolRiskLevel.Critical);
        }

        if ((acts & (VerbClass.Trigger | VerbClass.Execute)) != 0 && e.Nouns.HasFlag(NounKind.Job))
        {
            return (ToolCategory.CodeExecution, ToolRiskLevel.High);
        }

        if (e.Nouns.HasFlag(NounKind.Credential) || e.Properties.HasFlag(PropertyKind.Credential) || e.Says(PhraseKind.Credential) || acts.HasFlag(VerbClass.Grant))
        {
            return (ToolCategory.Credentials, changes ? ToolRiskLevel.Critical : ToolRiskLevel.Medium);
        }

        if (acts.HasFlag(VerbClass.Destroy) || (acts.HasFlag(VerbClass.Write) && e.Says(PhraseKind.Overwrite)))
        {
            var many = e.PluralObject || e.Nouns.HasFlag(NounKind.Mass) || e.Says(PhraseKind.Mass) || e.Nouns.HasFlag(NounKind.Scope);
            return (ToolCategory.Destructive, many ? ToolRiskLevel.Critical : ToolRiskLevel.High);
        }

        if (acts.HasFlag(VerbClass.Communicate) || (changes && e.Nouns.HasFlag(NounKind.Message)))
        {
            return (ToolCategory.Communication, ToolRiskLevel.High);
        }

        if (acts.HasFlag(VerbClass.React))
        {
            return (ToolCategory.Communication, ToolRiskLevel.Medium);
        }

        if (changes)
        {
            var visible = acts.HasFlag(VerbClass.Publish) || e.Facts.OpenWorldHint == true || e.Says(PhraseKind.Caution);
            return (ToolCategory.Write, visible ? ToolRiskLevel.High : ToolRiskLevel.Medium);
        }

        if (acts == VerbClass.Read)
        {
            var sensitive = e.Nouns.HasFlag(NounKind.Sensitive) || e.Nouns.HasFlag(NounKind.Credential) || financial || (sql && e.TakesQuery);
            return (ToolCategory.Read, sensitive ? ToolRiskLevel.Medium : ToolRiskLevel.Low);
        }

        // No verb the vocabulary knows: a declared read-only tool reads; anything else is assumed to write.
        e.Reasons.Add("no known verb: assumed to write");
        return readOnly ? (ToolCategory.Read, ToolRiskLevel.Low) : (ToolCategory.Write, ToolRiskLevel.Medium);
    }

    private static ToolRiskLevel FinancialLevel(ToolEvidence e, VerbClass acts, bool trade)
    {
        if (acts.HasFlag(VerbClass.Money) || trade)
        {
            return ToolRiskLevel.Critical;
        }

        if (acts.HasFlag(VerbClass.Commit) && e.Says(PhraseKind.Money))
        {
            return ToolRiskLevel.Critical;
        }

        if (acts.HasFlag(VerbClass.Destroy))
        {
            return e.PluralObject || e.Nouns.HasFlag(NounKind.Mass) || e.Says(PhraseKind.Mass) ? ToolRiskLevel.Critical : ToolRiskLevel.High;
        }

        return (acts & (VerbClass.Commit | VerbClass.Communicate | VerbClass.Publish | VerbClass.Grant)) != 0 || e.Says(PhraseKind.Caution)
            ? ToolRiskLevel.High
            : ToolRiskLevel.Medium;
    }
}
