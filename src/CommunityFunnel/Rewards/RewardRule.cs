namespace CommunityFunnel.Rewards;

/// <summary>A task-linked reward rule: when it fires, who may get it, what they get, how often, and when it is active.</summary>
public sealed record RewardRule
{
    /// <summary>Unique rule id; part of every grant's idempotency key, so never reuse one for a different rule.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>When the rule fires.</summary>
    public RewardTrigger Trigger { get; init; } = new();

    /// <summary>Who may receive the rewards. Default: anyone but staff and bots.</summary>
    public RewardEligibility Eligibility { get; init; } = new();

    /// <summary>What each firing gives (at least one).</summary>
    public IReadOnlyList<RewardSpec> Rewards { get; init; } = [];

    /// <summary>Caps per member and period and on the rule's total.</summary>
    public RewardLimits Limits { get; init; } = new();

    /// <summary>The <see cref="RewardBudget.Id"/> this rule spends from, if any.</summary>
    public string? Budget { get; init; }

    /// <summary>The rule is active for events at or after this instant.</summary>
    public DateTimeOffset? ActiveFrom { get; init; }

    /// <summary>The rule is active for events before this instant.</summary>
    public DateTimeOffset? ActiveTo { get; init; }
}
