using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>A global budget shared by the rules that name it: never exceeded.</summary>
public sealed record RewardBudget
{
    /// <summary>The budget id rules refer to.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>The limit, in units or (with <see cref="Currency"/>) in minor units of money.</summary>
    public long Limit { get; init; }

    /// <summary>ISO 4217 code when the budget is money; <see langword="null"/> when it counts units.</summary>
    public string? Currency { get; init; }

    /// <summary>
    /// When the budget is spent: at the grant (the default), or, for a money budget of coupon rules, when a coupon is
    /// used (the discount it gives, returned on rollback).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RewardBudgetCharge ChargedAt { get; init; }
}
