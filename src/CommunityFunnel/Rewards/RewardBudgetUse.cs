namespace CommunityFunnel.Rewards;

/// <summary>How much of a budget is used.</summary>
/// <param name="BudgetId">The budget.</param>
/// <param name="Limit">Its limit.</param>
/// <param name="Used">What grants not reversed consumed (never above <paramref name="Limit"/>).</param>
/// <param name="Currency">ISO 4217 code for a money budget, else <see langword="null"/>.</param>
public sealed record RewardBudgetUse(string BudgetId, long Limit, long Used, string? Currency)
{
    /// <summary>What is left.</summary>
    public long Remaining => checked(Limit - Used);
}
