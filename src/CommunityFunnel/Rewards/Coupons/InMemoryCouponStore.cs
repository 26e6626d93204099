namespace CommunityFunnel.Rewards.Coupons;

/// <summary>The in-memory <see cref="ICouponStore"/> (tests, demos, replays): every step behind one lock.</summary>
internal sealed class InMemoryCouponStore : ICouponStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Coupon> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byGrant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CouponAuditEntry>> _audit = new(StringComparer.Ordinal);

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

    public Task<CouponStepOutcome> ReserveAsync(string code, string orderId, DateTimeOffset at, DateTimeOffset until, CancellationToken cancellationToken)
    {
        CouponSteps.CheckArguments(code, orderId);
        if (until <= at)
        {
            throw new ArgumentException("until must be after at", nameof(until));
        }

        return Step(code, 0, cancellationToken, c => CouponSteps.Reserve(c, orderId, at, until));
    }

    public Task<CouponStepOutcome> RedeemAsync(string code, string orderId, DateTimeOffset at, long orderAmount, long discount, CancellationToken cancellationToken)
    {
        CouponSteps.CheckArguments(code, orderId);
        return Step(code, discount, cancellationToken, c => CouponSteps.Redeem(c, orderId, at, orderAmount, discount));
    }

    public Task<CouponStepOutcome> RollbackAsync(string code, string orderId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CouponSteps.CheckArguments(code, orderId);
        return Step(code, 0, cancellationToken, c => CouponSteps.Rollback(c, orderId, at));
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

    private Task<CouponStepOutcome> Step(string code, long amount, CancellationToken cancellationToken, Func<Coupon, (CouponStepOutcome Outcome, CouponUse? Write)> decide)
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
                _audit[code].Add(new CouponAuditEntry(code, action, write.OrderId, write.At, action == CouponAuditAction.Redeemed ? amount : 0));
            }

            return Task.FromResult(outcome);
        }
    }
}
