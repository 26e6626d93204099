namespace CommunityFunnel.Rewards;

/// <summary>A rule's grants and net rewards.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Grants">Grants appended.</param>
/// <param name="Reversals">Grants reversed.</param>
/// <param name="Points">Net points.</param>
/// <param name="Tickets">Net lottery tickets (all draws).</param>
/// <param name="Coupons">Net coupons.</param>
public sealed record RewardRuleTotal(string RuleId, long Grants, long Reversals, long Points, long Tickets, long Coupons);
