namespace CommunityFunnel.Rewards;

/// <summary>Rules and the budgets they spend from, as written in a rules file (see <c>docs/rewards.md</c>).</summary>
public sealed record RewardRuleSet
{
    /// <summary>The IANA time zone for calendar days, weeks and months, when the set is used on its own (CLI). Hosts use <c>CommunityFunnelOptions.TimeZoneId</c>.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The budgets.</summary>
    public IReadOnlyList<RewardBudget> Budgets { get; init; } = [];

    /// <summary>The rules.</summary>
    public IReadOnlyList<RewardRule> Rules { get; init; } = [];

    /// <summary>Parses a rules file's JSON text and validates it.</summary>
    /// <exception cref="System.Text.Json.JsonException">The text is not JSON of the documented shape (the message names the path).</exception>
    /// <exception cref="ArgumentException">A rule breaks a rule of the format; the message names every bad rule and field.</exception>
    public static RewardRuleSet Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var set = RewardRulesJson.Deserialize(json);
        set.Validate();
        return set;
    }

    /// <summary>The rule set as rules-file JSON (indented).</summary>
    public string ToJson() => RewardRulesJson.Serialize(this);

    /// <summary>Checks every rule and budget.</summary>
    /// <exception cref="ArgumentException">Something is wrong; the message names every bad rule and field.</exception>
    public void Validate() => Validate(requireRules: true);

    /// <summary>Checks every rule and budget; an empty set passes when <paramref name="requireRules"/> is false.</summary>
    internal void Validate(bool requireRules)
    {
        var errors = RewardRuleValidator.Validate(this, requireRules);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid reward rules: " + string.Join("; ", errors));
        }
    }
}
