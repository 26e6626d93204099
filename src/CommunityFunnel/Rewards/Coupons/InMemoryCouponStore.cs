namespace CommunityFunnel.Rewards.Coupons;

/// <summary>The in-memory <see cref="ICouponStore"/> (tests, demos, replays): every step behind one lock.</summary>
internal sealed class InMemoryCouponStore : ICouponStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Coupon> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byGrant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CouponAuditEntry>> _audit = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byBudget = new(StringComparer.Ordinal);

    public Task<CouponIssueResult> TryIssueAsync(Coupon coupon, CancellationToken cancellationToken)
    {
        CouponSteps.CheckCoupon(coupon);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_byGrant.TryGetValue(coupon.GrantKey, out var existing))
            {
                return Task.FromResult(new CouponIssueResult(CouponIssueOutcome.AlreadyIssued, _byCode[existing]));
            }

            if (_byCode.ContainsKey(coupon.Code))
            {
                return Task.FromResult(new CouponIssueResult(CouponIssueOutcome.CodeTaken, null));
            }

            var stored = coupon with { Uses = [] };
            _byCode.Add(stored.Code, stored);
            _byGrant.Add(stored.GrantKey, stored.Code);
            if (stored.BudgetId is { } budget)
            {
                if (!_byBudget.TryGetValue(budget, out var codes))
                {
                    _byBudget.Add(budget, codes = []);
                }

                codes.Add(stored.Code);
            }

            _audit.Add(stored.Code, [new CouponAuditEntry(stored.Code, CouponAuditAction.Issued, null, stored.IssuedAt, 0)]);
            return Task.FromResult(new CouponIssueResult(CouponIssueOutcome.Issued, stored));
        }
    }

    public Task<Coupon?> FindAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_byCode.GetValueOrDefault(code));
        }
    }

    public Task<Coupon?> FindByGrantAsync(string grantKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grantKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_byGrant.TryGetValue(grantKey, out var code) ? _byCode[code] : null);
        }
    }

    public Task<IReadOnlyList<Coupon>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Coupon>>(_byCode.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToList());
        }
    }

    public Task<CouponStepOutcome> ReserveAsync(string code, string orderId, DateTimeOffset at, DateTimeOffset until, CouponCharge charge, CancellationToken cancellationToken)
    {
        CouponSteps.CheckArguments(code, orderId);
        CouponSteps.CheckCharge(charge);
        if (until <= at)
        {
            throw new ArgumentException("until must be after at", nameof(until));
        }

        return Step(code, cancellationToken, c => CouponSteps.Reserve(c, orderId, at, until, charge, HeldByOthers(c, orderId, at)));
    }

    public Task<CouponStepOutcome> RedeemAsync(string code, string orderId, DateTimeOffset at, CouponCharge charge, CancellationToken cancellationToken)
    {
        CouponSteps.CheckArguments(code, orderId);
        CouponSteps.CheckCharge(charge);
        return Step(code, cancellationToken, c => CouponSteps.Redeem(c, orderId, at, charge, HeldByOthers(c, orderId, at)));
    }

    public Task<CouponStepOutcome> RollbackAsync(string code, string orderId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CouponSteps.CheckArguments(code, orderId);
        return Step(code, cancellationToken, c => CouponSteps.Rollback(c, orderId, at));
    }

    public Task<long> GetBudgetUsedAsync(string budgetId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(budgetId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Held(budgetId, string.Empty, string.Empty, at));
        }
    }

    public Task<IReadOnlyList<CouponAuditEntry>> GetAuditTrailAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CouponAuditEntry>>(_audit.TryGetValue(code, out var list) ? [.. list] : []);
        }
    }

    // Under _gate.
    private long HeldByOthers(Coupon coupon, string orderId, DateTimeOffset at) =>
        coupon.BudgetId is { } budget ? Held(budget, coupon.Code, orderId, at) : 0;

    // Under _gate. An empty code and order leave nothing out (order ids are never empty).
    private long Held(string budget, string code, string orderId, DateTimeOffset at) =>
        _byBudget.TryGetValue(budget, out var codes) ? CouponSteps.BudgetHeldByOthers(codes.Select(c => _byCode[c]), code, orderId, at) : 0;

    private Task<CouponStepOutcome> Step(string code, CancellationToken cancellationToken, Func<Coupon, (CouponStepOutcome Outcome, CouponUse? Write)> decide)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byCode.TryGetValue(code, out var coupon))
            {
                return Task.FromResult(CouponStepOutcome.NotFound);
            }

            var (outcome, write) = decide(coupon);
            if (write is not null)
            {
                var uses = coupon.Uses.ToList();
                var at = uses.FindIndex(u => string.Equals(u.OrderId, write.OrderId, StringComparison.Ordinal));
                if (at < 0)
                {
                    uses.Add(write);
                }
                else
                {
                    uses[at] = write;
                }

                _byCode[code] = coupon with { Uses = uses };
                var action = CouponSteps.ActionOf(write);
                _audit[code].Add(new CouponAuditEntry(code, action, write.OrderId, write.At, action == CouponAuditAction.Redeemed ? write.Discount : 0));
            }

            return Task.FromResult(outcome);
        }
    }
}
