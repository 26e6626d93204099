using CommunityFunnel.Members;

namespace CommunityFunnel.Rewards;

/// <summary>
/// Ready-made rules for the seed article's examples: check-in → 1 ticket to the weekly draw; 7-day streak →
/// a 20%-off (8折) coupon; an order this month → an entry into the month's free-order draw; an approved share
/// screenshot → points; a suggestion form → 1 ticket to the weekly draw.
/// </summary>
public static class RewardPresets
{
    /// <summary>The weekly draw's id template: <c>weekly-</c> and the local date of the week's Monday.</summary>
    public const string WeeklyDraw = "weekly-{week}";

    /// <summary>The free-order draw's id template: <c>free-order-</c> and the local month (<c>yyyy-MM</c>).</summary>
    public const string FreeOrderDraw = "free-order-{month}";

    /// <summary>The seed article's rules, with a budget of <paramref name="couponBudget"/> coupons.</summary>
    /// <param name="shareTask">The task id of the share-screenshot task (reviewed).</param>
    /// <param name="suggestionTask">The task id of the suggestion form (not reviewed).</param>
    /// <param name="couponBudget">How many streak coupons may be given in total.</param>
    public static RewardRuleSet SeedArticle(string shareTask = "share-screenshot", string suggestionTask = "suggestion-form", long couponBudget = 500)
    {
        ArgumentException.ThrowIfNullOrEmpty(shareTask);
        ArgumentException.ThrowIfNullOrEmpty(suggestionTask);
        var inGroup = new RewardEligibility { States = [MembershipState.InGroup] };
        return new RewardRuleSet
        {
            TimeZone = "Asia/Shanghai",
            Budgets = [new RewardBudget { Id = "streak-coupons", Limit = couponBudget }],
            Rules =
            [
                new RewardRule
                {
                    Id = "checkin-weekly-ticket",
                    Trigger = new RewardTrigger { Kind = RewardTriggerKind.Checkin },
                    Eligibility = inGroup,
                    Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Quantity = 1, Draw = WeeklyDraw }],
                    Limits = new RewardLimits { PerMemberPerDay = 1 },
                },
                new RewardRule
                {
                    Id = "streak-7-coupon",
                    Trigger = new RewardTrigger { Kind = RewardTriggerKind.Streak, Count = 7 },
                    Eligibility = inGroup,
                    Rewards =
                    [
                        new RewardSpec
                        {
                            Kind = RewardKind.Coupon,
                            Coupon = new RewardCoupon { Kind = CouponKind.PercentOff, PercentOff = 20, ValidDays = 14 },
                        },
                    ],
                    Limits = new RewardLimits { PerMemberPerWeek = 1 },
                    Budget = "streak-coupons",
                },
                new RewardRule
                {
                    Id = "order-free-order-draw",
                    Trigger = new RewardTrigger { Kind = RewardTriggerKind.OrderTotal, Period = RewardPeriod.Month, Amount = 0 },
                    Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Quantity = 1, Draw = FreeOrderDraw }],
                    Limits = new RewardLimits { PerMemberPerMonth = 1 },
                },
                new RewardRule
                {
                    Id = "share-screenshot-points",
                    Trigger = new RewardTrigger { Kind = RewardTriggerKind.Approved, Task = shareTask },
                    Eligibility = inGroup,
                    Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 50 }],
                    Limits = new RewardLimits { PerMemberPerDay = 1 },
                },
                new RewardRule
                {
                    Id = "suggestion-weekly-ticket",
                    Trigger = new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = suggestionTask },
                    Eligibility = inGroup,
                    Rewards = [new RewardSpec { Kind = RewardKind.Tickets, Quantity = 1, Draw = WeeklyDraw }],
                    Limits = new RewardLimits { PerMemberPerWeek = 1 },
                },
            ],
        };
    }
}
