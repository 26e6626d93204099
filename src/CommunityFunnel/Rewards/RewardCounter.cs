namespace CommunityFunnel.Rewards;

/// <summary>
/// One counter a grant consumes: a per-member-per-period cap, a rule total or a budget. A store checks
/// <c>used + Amount &lt;= Limit</c> for every counter of a grant and adds them in the same transaction as the
/// grant's insert.
/// </summary>
/// <param name="Key">The counter's unique key, e.g. <c>budget|coupons</c>.</param>
/// <param name="Limit">The most the counter may reach.</param>
/// <param name="Amount">What this grant adds to it.</param>
/// <param name="IsBudget">Whether it is a budget (<see cref="RewardAppendResult.BudgetExhausted"/>) rather than a cap (<see cref="RewardAppendResult.LimitReached"/>).</param>
public readonly record struct RewardCounter(string Key, long Limit, long Amount, bool IsBudget);
