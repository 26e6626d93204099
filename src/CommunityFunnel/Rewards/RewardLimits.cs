namespace CommunityFunnel.Rewards;

/// <summary>Caps on how often a rule grants; <see langword="null"/> means no cap.</summary>
public sealed record RewardLimits
{
    /// <summary>Grants per member per local day.</summary>
    public int? PerMemberPerDay { get; init; }

    /// <summary>Grants per member per ISO week (local dates).</summary>
    public int? PerMemberPerWeek { get; init; }

    /// <summary>Grants per member per local calendar month.</summary>
    public int? PerMemberPerMonth { get; init; }

    /// <summary>Grants per member, ever.</summary>
    public int? PerMemberEver { get; init; }

    /// <summary>Grants of the rule in total.</summary>
    public long? RuleTotal { get; init; }
}
