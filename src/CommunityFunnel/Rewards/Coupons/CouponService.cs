namespace CommunityFunnel.Rewards.Coupons;

/// <summary>
/// The default <see cref="ICouponService"/>: rules here, state in the <see cref="ICouponStore"/>. The reward rules
/// say which coupons spend a money budget charged at redemption (<see cref="RewardBudgetCharge.Redemption"/>) and its limit.
/// </summary>
internal sealed class CouponService(ICouponStore store, CouponsOptions options, TimeProvider time, CouponCodeGenerator? generator = null, RewardRuleSet? rules = null) : ICouponService
{
    private readonly CouponCodeGenerator _generator = generator ?? new CouponCodeGenerator(options.Codes);
    private readonly Dictionary<string, RewardBudget> _budgets = (rules?.Budgets ?? []).Where(b => b.ChargedAt == RewardBudgetCharge.Redemption).ToDictionary(b => b.Id, StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ruleBudgets = (rules?.Rules ?? [])
        .Where(r => r.Budget is not null && (rules!.Budgets.Any(b => b.Id == r.Budget && b.ChargedAt == RewardBudgetCharge.Redemption)))
        .ToDictionary(r => r.Id, r => r.Budget!, StringComparer.Ordinal);

    public async Task<RewardBudgetUse> GetBudgetUseAsync(string budgetId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(budgetId);
        var budget = _budgets.GetValueOrDefault(budgetId)
            ?? throw new ArgumentException($"'{budgetId}' is not a budget charged at redemption (chargedAt: redemption) of the reward rules", nameof(budgetId));
        var used = await store.GetBudgetUsedAsync(budgetId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new RewardBudgetUse(budget.Id, budget.Limit, used, budget.Currency);
    }

    public async Task<Coupon> IssueAsync(RewardLedgerEntry grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var reward = grant.Rewards.FirstOrDefault(r => r.Kind == RewardKind.Coupon && r.Coupon is not null)
            ?? throw new ArgumentException($"grant '{grant.Key}' gives no coupon", nameof(grant));
        if (grant.Kind != RewardEntryKind.Grant)
        {
            throw new ArgumentException($"'{grant.Key}' is a reversal, not a grant", nameof(grant));
        }

        if (await store.FindByGrantAsync(grant.Key, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        for (var attempt = 0; attempt < options.IssueAttempts; attempt++)
        {
            var coupon = new Coupon
            {
                Code = _generator.Next(),
                GrantKey = grant.Key,
                RuleId = grant.RuleId,
                Member = grant.Member,
                Terms = reward.Coupon!,
                IssuedAt = grant.At,
                ExpiresAt = grant.ExpiresAt,
                UsageLimit = (int)Math.Clamp(reward.Quantity, 1, int.MaxValue),
                BudgetId = _ruleBudgets.GetValueOrDefault(grant.RuleId),
            };
            var result = await store.TryIssueAsync(coupon, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != CouponIssueOutcome.CodeTaken)
            {
                return result.Coupon!;
            }
        }

        throw new InvalidOperationException(
            $"{options.IssueAttempts} new codes in a row were already taken: the code pattern is too full "
            + $"(capacity {CouponCodes.Capacity(options.Codes).ToString(System.Globalization.CultureInfo.InvariantCulture)}); make Coupons.Codes.Length longer");
    }

    public async Task<CouponValidation> ValidateAsync(string code, CouponOrder order, CancellationToken cancellationToken = default)
    {
        var (validation, _) = await CheckAsync(code, order, cancellationToken).ConfigureAwait(false);
        return validation;
    }

    public async Task<CouponValidation> ReserveAsync(string code, CouponOrder order, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        var hold = ttl ?? options.ReservationTime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(hold, TimeSpan.Zero, nameof(ttl));
        var (validation, now) = await CheckAsync(code, order, cancellationToken).ConfigureAwait(false);
        if (validation.Coupon is null || validation.Rejection is CouponRejection.Malformed or CouponRejection.OtherMember or CouponRejection.BelowMinimumSpend)
        {
            return validation;
        }

        var outcome = await store.ReserveAsync(validation.Code, order.OrderId, now, now + hold, Charge(validation.Coupon, order.Amount), cancellationToken).ConfigureAwait(false);
        return Apply(validation, order.Amount, outcome);
    }

    public async Task<CouponValidation> RedeemAsync(string code, CouponOrder order, CancellationToken cancellationToken = default)
    {
        var (validation, now) = await CheckAsync(code, order, cancellationToken).ConfigureAwait(false);
        if (validation.Coupon is null || validation.Rejection is CouponRejection.Malformed or CouponRejection.OtherMember or CouponRejection.BelowMinimumSpend)
        {
            return validation;
        }

        var outcome = await store.RedeemAsync(validation.Code, order.OrderId, now, Charge(validation.Coupon, order.Amount), cancellationToken).ConfigureAwait(false);
        if (outcome == CouponStepOutcome.AlreadyDone)
        {
            // Idempotent: report what the first redemption took off.
            var coupon = (await store.FindAsync(validation.Code, cancellationToken).ConfigureAwait(false))!;
            var first = coupon.Uses.First(u => string.Equals(u.OrderId, order.OrderId, StringComparison.Ordinal));
            return validation with
            {
                Coupon = coupon, Rejection = CouponRejection.None, AlreadyDone = true, Discount = first.Discount, AmountToPay = first.OrderAmount - first.Discount,
            };
        }

        return Apply(validation, order.Amount, outcome);
    }

    public async Task<CouponValidation> RollbackAsync(string code, string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentException.ThrowIfNullOrEmpty(orderId);
        var normalized = CouponCodes.Normalize(code, options.Codes);
        if (!CouponCodes.IsWellFormed(normalized, options.Codes))
        {
            return new CouponValidation { Code = normalized, Rejection = CouponRejection.Malformed };
        }

        var outcome = await store.RollbackAsync(normalized, orderId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var coupon = outcome == CouponStepOutcome.NotFound ? null : await store.FindAsync(normalized, cancellationToken).ConfigureAwait(false);
        return new CouponValidation
        {
            Code = normalized,
            Coupon = coupon,
            Rejection = Rejection(outcome),
            AlreadyDone = outcome == CouponStepOutcome.AlreadyDone,
        };
    }

    private CouponCharge Charge(Coupon coupon, long amount) =>
        new(amount, Effect(coupon, amount).Discount, coupon.BudgetId is { } id ? Budget(coupon, id).Limit : null);

    private RewardBudget Budget(Coupon coupon, string budgetId) =>
        _budgets.GetValueOrDefault(budgetId)
        ?? throw new InvalidOperationException(
            $"coupon '{coupon.Code}' spends budget '{budgetId}', which the reward rules no longer have as a budget charged at redemption: keep it in the rules while its coupons can be used");

    private static (long Discount, string? Gift) Effect(Coupon coupon, long amount) =>
        (CouponEffects.Discount(coupon.Terms, amount), coupon.Terms.Kind == CouponKind.SpendGetGift ? coupon.Terms.Gift : null);

    private static CouponRejection Rejection(CouponStepOutcome outcome) => outcome switch
    {
        CouponStepOutcome.Done or CouponStepOutcome.AlreadyDone => CouponRejection.None,
        CouponStepOutcome.NotFound => CouponRejection.NotFound,
        CouponStepOutcome.Expired => CouponRejection.Expired,
        CouponStepOutcome.UsedUp => CouponRejection.UsedUp,
        CouponStepOutcome.RolledBack => CouponRejection.RolledBack,
        CouponStepOutcome.BudgetExhausted => CouponRejection.BudgetExhausted,
        _ => CouponRejection.NotUsedByOrder,
    };

    // The store has the last word (a use may have been freed or taken since the read-only check).
    private static CouponValidation Apply(CouponValidation validation, long amount, CouponStepOutcome outcome)
    {
        var rejection = Rejection(outcome);
        if (rejection != CouponRejection.None)
        {
            return validation with { Rejection = rejection, Discount = 0, Gift = null, AmountToPay = amount };
        }

        var (discount, gift) = Effect(validation.Coupon!, amount);
        return validation with
        {
            Rejection = CouponRejection.None, AlreadyDone = outcome == CouponStepOutcome.AlreadyDone, Discount = discount, Gift = gift, AmountToPay = amount - discount,
        };
    }

    /// <summary>The read-only checks, in order: shape, existence, member, expiry, minimum spend, uses, budget.</summary>
    private async Task<(CouponValidation Validation, DateTimeOffset Now)> CheckAsync(string code, CouponOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentException.ThrowIfNullOrEmpty(order.OrderId, nameof(order));
        ArgumentOutOfRangeException.ThrowIfNegative(order.Amount, nameof(order));
        var now = time.GetUtcNow();
        var normalized = CouponCodes.Normalize(code, options.Codes);
        var refused = new CouponValidation { Code = normalized, AmountToPay = order.Amount };
        if (!CouponCodes.IsWellFormed(normalized, options.Codes))
        {
            return (refused with { Rejection = CouponRejection.Malformed }, now);
        }

        var coupon = await store.FindAsync(normalized, cancellationToken).ConfigureAwait(false);
        if (coupon is null)
        {
            return (refused with { Rejection = CouponRejection.NotFound }, now);
        }

        refused = refused with { Coupon = coupon };
        if (order.Member is { } member && !string.Equals(member, coupon.Member, StringComparison.Ordinal))
        {
            return (refused with { Rejection = CouponRejection.OtherMember }, now);
        }

        var mine = coupon.Uses.FirstOrDefault(u => string.Equals(u.OrderId, order.OrderId, StringComparison.Ordinal));
        if (mine is { State: CouponUseState.RolledBack })
        {
            return (refused with { Rejection = CouponRejection.RolledBack }, now);
        }

        var heldForMe = mine is not null && mine.HoldsAt(now);
        if (!heldForMe && coupon.IsExpiredAt(now))
        {
            return (refused with { Rejection = CouponRejection.Expired }, now);
        }

        if (order.Amount < coupon.Terms.MinSpend)
        {
            return (refused with { Rejection = CouponRejection.BelowMinimumSpend }, now);
        }

        if (!heldForMe && coupon.Uses.Count(u => u.HoldsAt(now) && !string.Equals(u.OrderId, order.OrderId, StringComparison.Ordinal)) >= coupon.UsageLimit)
        {
            return (refused with { Rejection = CouponRejection.UsedUp }, now);
        }

        var (discount, gift) = Effect(coupon, order.Amount);
        if (coupon.BudgetId is { } budgetId)
        {
            var limit = Budget(coupon, budgetId).Limit;
            var held = await store.GetBudgetUsedAsync(budgetId, now, cancellationToken).ConfigureAwait(false);
            var mineHolds = mine is not null && mine.HoldsAt(now) ? mine.Discount : 0;
            if (held - mineHolds > limit - discount)
            {
                return (refused with { Rejection = CouponRejection.BudgetExhausted }, now);
            }
        }

        return (new CouponValidation { Code = normalized, Coupon = coupon, Discount = discount, Gift = gift, AmountToPay = order.Amount - discount }, now);
    }
}
