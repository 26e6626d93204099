namespace CommunityFunnel.Rewards;

/// <summary>The reward rules a host runs, validated when the host starts. Calendar periods use <c>CommunityFunnelOptions.TimeZoneId</c>.</summary>
public sealed class RewardsOptions
{
    /// <summary>The rules; none means the engine grants nothing.</summary>
    public IList<RewardRule> Rules { get; } = new List<RewardRule>();

    /// <summary>The budgets the rules spend from.</summary>
    public IList<RewardBudget> Budgets { get; } = new List<RewardBudget>();

    /// <summary>Adds the rules and budgets of <paramref name="set"/> (e.g. <see cref="RewardPresets.SeedArticle"/>).</summary>
    public RewardsOptions Add(RewardRuleSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        foreach (var b in set.Budgets)
        {
            Budgets.Add(b);
        }

        foreach (var r in set.Rules)
        {
            Rules.Add(r);
        }

        return this;
    }

    /// <summary>The options as a rule set.</summary>
    public RewardRuleSet ToRuleSet() => new() { Rules = Rules.ToArray(), Budgets = Budgets.ToArray() };
}
