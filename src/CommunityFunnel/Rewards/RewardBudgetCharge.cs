using System.Text.Json.Serialization;

namespace CommunityFunnel.Rewards;

/// <summary>When a <see cref="RewardBudget"/> is spent.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RewardBudgetCharge>))]
public enum RewardBudgetCharge
{
    /// <summary>
    /// When the ledger grants: every grant of a rule naming the budget consumes its rewards' <c>quantity × cost</c>,
    /// and a grant that would pass the limit is refused (<see cref="RewardAppendResult.BudgetExhausted"/>). The default.
    /// </summary>
    Grant,

    /// <summary>
    /// When a coupon is used (money budgets of coupon rules only): a grant consumes nothing; each reservation or
    /// redemption of one of the rule's coupons holds its discount, a use that would pass the limit is refused
    /// (<c>CouponRejection.BudgetExhausted</c>), and a rollback or a lapsed reservation gives the discount back.
    /// </summary>
    Redemption,
}
