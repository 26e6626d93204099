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
    /// <exception cref="System.Text.Json.JsonException">The text is not JSON, or not a JSON object.</exception>
    /// <exception cref="ArgumentException">
    /// Anything else is wrong: unknown fields, values of the wrong type, instants without an offset, a rule without
    /// a trigger, values out of range. The message names every problem by its path (<c>rules[c-1].trigger.tasks</c>).
    /// </exception>
    public static RewardRuleSet Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var errors = new List<string>();
        var set = RewardRulesJson.Deserialize(json, errors);
        if (set is not null)
        {
            errors.AddRange(RewardRuleValidator.Validate(set));
        }

        if (set is null || errors.Count > 0)
        {
            throw new ArgumentException("Invalid reward rules: " + string.Join("; ", errors));
        }

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
