using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>Checks a rule set and lists every problem, each naming the rule and the field.</summary>
internal static class RewardRuleValidator
{
    public static List<string> Validate(RewardRuleSet set, bool requireRules = true)
    {
        var errors = new List<string>();
        if (set.TimeZone is { } zone && !TimeZones.TryFind(zone, out _))
        {
            errors.Add($"timeZone: '{zone}' is not an IANA time zone known to this machine");
        }

        var budgets = new HashSet<string>(StringComparer.Ordinal);
        var atRedemption = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (set.Budgets?.Count ?? 0); i++)
        {
            var b = set.Budgets![i];
            var where = $"budgets[{Label(b?.Id, i)}]";
            if (b is null)
            {
                errors.Add($"budgets[{i}]: is null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(b.Id))
            {
                errors.Add($"{where}.id: must not be empty");
            }
            else if (!budgets.Add(b.Id))
            {
                errors.Add($"{where}.id: is used by another budget");
            }

            if (b.Limit < 0)
            {
                errors.Add($"{where}.limit: must not be negative, it is {b.Limit}");
            }

            if (b.ChargedAt == RewardBudgetCharge.Redemption)
            {
                if (string.IsNullOrWhiteSpace(b.Currency))
                {
                    errors.Add($"{where}.chargedAt: a budget charged at redemption is money: give its currency");
                }

                if (b.Id is not null)
                {
                    atRedemption.Add(b.Id);
                }
            }
            else if (!Enum.IsDefined(b.ChargedAt))
            {
                errors.Add($"{where}.chargedAt: must be grant or redemption, it is {(int)b.ChargedAt}");
            }
        }

        if (set.Rules is null || set.Rules.Count == 0)
        {
            if (requireRules)
            {
                errors.Add("rules: at least one rule is required");
            }

            return errors;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < set.Rules.Count; i++)
        {
            var rule = set.Rules[i];
            if (rule is null)
            {
                errors.Add($"rules[{i}]: is null");
                continue;
            }

            var where = $"rules[{Label(rule.Id, i)}]";
            if (string.IsNullOrWhiteSpace(rule.Id))
            {
                errors.Add($"{where}.id: must not be empty");
            }
            else if (rule.Id.Contains('|', StringComparison.Ordinal))
            {
                errors.Add($"{where}.id: must not contain '|'");
            }
            else if (!ids.Add(rule.Id))
            {
                errors.Add($"{where}.id: is used by another rule (this is rule #{i})");
            }

            ValidateTrigger(rule.Trigger, where, errors);
            ValidateRewards(rule.Rewards, where, errors);
            ValidateLimits(rule.Limits, where, errors);
            if (rule.Eligibility is null)
            {
                errors.Add($"{where}.eligibility: must not be null");
            }
            else if (rule.Eligibility.JoinedAfter is { } a && rule.Eligibility.JoinedBefore is { } bf && a >= bf)
            {
                errors.Add($"{where}.eligibility.joinedAfter: must be before eligibility.joinedBefore");
            }

            if (rule.Budget is not null && !budgets.Contains(rule.Budget))
            {
                errors.Add($"{where}.budget: '{rule.Budget}' is not one of the budgets");
            }
            else if (rule.Budget is not null && atRedemption.Contains(rule.Budget))
            {
                for (var r = 0; r < (rule.Rewards?.Count ?? 0); r++)
                {
                    if (rule.Rewards![r] is { } spec && (spec.Kind != RewardKind.Coupon || spec.Cost != 1))
                    {
                        errors.Add(spec.Kind != RewardKind.Coupon
                            ? $"{where}.rewards[{r}]: budget '{rule.Budget}' is charged at redemption, so the rule may give coupons only, not {System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(spec.Kind.ToString())}"
                            : $"{where}.rewards[{r}].cost: budget '{rule.Budget}' is charged the discount at redemption; leave cost out");
                    }
                }
            }

            if (rule.ActiveFrom is { } from && rule.ActiveTo is { } to && from >= to)
            {
                errors.Add($"{where}.activeFrom: {from:O} must be before activeTo {to:O}");
            }
        }

        return errors;
    }

    /// <summary>A rule's or budget's label in a path: its id (<c>rules[c-1]</c>), or its index when it has none.</summary>
    private static string Label(string? id, int index) =>
        string.IsNullOrWhiteSpace(id) ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : id;

    private static void ValidateTrigger(RewardTrigger? t, string where, List<string> errors)
    {
        if (t is null)
        {
            errors.Add($"{where}.trigger: is required");
            return;
        }

        if (!Enum.IsDefined(t.Kind))
        {
            errors.Add($"{where}.trigger.kind: {t.Kind} is not a trigger kind");
        }

        if (!Enum.IsDefined(t.Period))
        {
            errors.Add($"{where}.trigger.period: {t.Period} is not a period");
        }

        switch (t.Kind)
        {
            case RewardTriggerKind.Streak when t.Count is < 1 or > 3650:
                errors.Add($"{where}.trigger.count: the streak length in days must be 1 to 3650, it is {t.Count}");
                break;
            case RewardTriggerKind.Count:
                if (t.Count < 1)
                {
                    errors.Add($"{where}.trigger.count: must be at least 1, it is {t.Count}");
                }

                if (t.Event is null)
                {
                    errors.Add($"{where}.trigger.event: the event type counted is required for a 'count' trigger");
                }

                break;
            case RewardTriggerKind.OrderTotal:
                if (t.Amount < 0)
                {
                    errors.Add($"{where}.trigger.amount: must not be negative, it is {t.Amount}");
                }

                break;
        }

        if (t.Task is { Length: 0 })
        {
            errors.Add($"{where}.trigger.task: must not be empty (leave it out for any task)");
        }

        if (t.Task is not null && t.Kind is RewardTriggerKind.OrderTotal or RewardTriggerKind.FirstOrder)
        {
            errors.Add($"{where}.trigger.task: does not apply to order triggers");
        }

        if (t.Task is not null && t.Kind == RewardTriggerKind.Count && t.Event is { } e && !CommunityEvent.RequiresTask(e))
        {
            errors.Add($"{where}.trigger.task: does not apply to '{e.ToWireName()}' events");
        }
    }

    internal static void ValidateRewards(IReadOnlyList<RewardSpec>? rewards, string where, List<string> errors)
    {
        if (rewards is null || rewards.Count == 0)
        {
            errors.Add($"{where}.rewards: must list at least one reward");
            return;
        }

        for (var i = 0; i < rewards.Count; i++)
        {
            var r = rewards[i];
            var at = $"{where}.rewards[{i}]";
            if (r is null)
            {
                errors.Add($"{at}: is null");
                continue;
            }

            if (!Enum.IsDefined(r.Kind))
            {
                errors.Add($"{at}.kind: {r.Kind} is not a reward kind");
            }

            if (r.Quantity is < 1 or > uint.MaxValue)
            {
                errors.Add($"{at}.quantity: must be 1 to {uint.MaxValue}, it is {r.Quantity}");
            }

            if (r.Cost < 0)
            {
                errors.Add($"{at}.cost: must not be negative, it is {r.Cost}");
            }

            if (r.Kind == RewardKind.Tickets && string.IsNullOrWhiteSpace(r.Draw))
            {
                errors.Add($"{at}.draw: the draw id is required for tickets");
            }

            if (r.Kind != RewardKind.Tickets && r.Draw is not null)
            {
                errors.Add($"{at}.draw: applies to tickets only");
            }

            if (r.Kind == RewardKind.Prize && string.IsNullOrWhiteSpace(r.Prize))
            {
                errors.Add($"{at}.prize: the prize's text is required for a physical prize");
            }

            if (r.Kind != RewardKind.Prize && r.Prize is not null)
            {
                errors.Add($"{at}.prize: applies to physical prizes only");
            }

            if (r.Kind == RewardKind.Coupon)
            {
                ValidateCoupon(r.Coupon, at, errors);
            }
            else if (r.Coupon is not null)
            {
                errors.Add($"{at}.coupon: applies to coupons only");
            }
        }
    }

    private static void ValidateCoupon(RewardCoupon? c, string at, List<string> errors)
    {
        if (c is null)
        {
            errors.Add($"{at}.coupon: the coupon's terms are required for a coupon");
            return;
        }

        switch (c.Kind)
        {
            case CouponKind.PercentOff when c.PercentOff is < 1 or > 100:
                errors.Add($"{at}.coupon.percentOff: must be 1 to 100 (8折 is 20), it is {c.PercentOff}");
                break;
            case CouponKind.AmountOff when c.AmountOff < 1:
                errors.Add($"{at}.coupon.amountOff: must be at least 1 (minor units), it is {c.AmountOff}");
                break;
            case CouponKind.SpendGetGift:
                if (c.MinSpend < 1)
                {
                    errors.Add($"{at}.coupon.minSpend: must be at least 1 (minor units), it is {c.MinSpend}");
                }

                if (string.IsNullOrWhiteSpace(c.Gift))
                {
                    errors.Add($"{at}.coupon.gift: is required for spendGetGift");
                }

                break;
        }

        if (!Enum.IsDefined(c.Kind))
        {
            errors.Add($"{at}.coupon.kind: {c.Kind} is not a coupon kind");
        }

        if (c.MinSpend < 0)
        {
            errors.Add($"{at}.coupon.minSpend: must not be negative, it is {c.MinSpend}");
        }

        if (c.ValidDays is < 1 or > 3660)
        {
            errors.Add($"{at}.coupon.validDays: must be 1 to 3660, it is {c.ValidDays}");
        }
    }

    private static void ValidateLimits(RewardLimits? l, string where, List<string> errors)
    {
        if (l is null)
        {
            errors.Add($"{where}.limits: must not be null");
            return;
        }

        Check(l.PerMemberPerDay, "perMemberPerDay");
        Check(l.PerMemberPerWeek, "perMemberPerWeek");
        Check(l.PerMemberPerMonth, "perMemberPerMonth");
        Check(l.PerMemberEver, "perMemberEver");
        Check(l.RuleTotal, "ruleTotal");

        void Check(long? value, string name)
        {
            if (value is < 0)
            {
                errors.Add($"{where}.limits.{name}: must not be negative, it is {value}");
            }
        }
    }
}
