using System.Data.Common;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="ICouponStore"/> on SQL. The code is the primary key and the grant key a unique column, so two host
/// instances cannot issue one code twice or two codes for one grant. A step on a coupon locks its row
/// (<c>SELECT … FOR UPDATE</c> on PostgreSQL; SQLite's single writer) and decides with the same rules as the
/// in-memory store, then writes the use and its audit entry in the same transaction.
/// </summary>
internal sealed class SqlCouponStore(SqlDatabase database) : ICouponStore
{
    private const string CouponColumns = "code, grant_key, rule_id, member_id, terms, issued_ticks, issued_offset, expires_ticks, expires_offset, usage_limit, budget_id";
    private const string UseColumns = "code, order_id, state, at_ticks, at_offset, until_ticks, until_offset, order_amount, discount";

    public async Task<CouponIssueResult> TryIssueAsync(Coupon coupon, CancellationToken cancellationToken)
    {
        CouponSteps.CheckCoupon(coupon);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            if (await FindOneAsync(connection, tx, "grant_key = @k", coupon.GrantKey, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return new CouponIssueResult(CouponIssueOutcome.AlreadyIssued, existing);
            }

            var inserted = await Sql.ExecuteAsync(
                connection,
                tx,
                $"INSERT INTO cf_coupons ({CouponColumns}) VALUES (@c, @g, @r, @m, @t, @it, @io, @et, @eo, @l, @b) ON CONFLICT DO NOTHING",
                cancellationToken,
                ("c", coupon.Code),
                ("g", coupon.GrantKey),
                ("r", coupon.RuleId),
                ("m", coupon.Member),
                ("t", StoreJson.Write(coupon.Terms)),
                ("it", coupon.IssuedAt.UtcTicks),
                ("io", (long)coupon.IssuedAt.Offset.TotalMinutes),
                ("et", Sql.Ticks(coupon.ExpiresAt)),
                ("eo", coupon.ExpiresAt is { } x ? (long)x.Offset.TotalMinutes : null),
                ("l", (long)coupon.UsageLimit),
                ("b", coupon.BudgetId)).ConfigureAwait(false);
            if (inserted != 1)
            {
                // A racing instance issued for the same grant, or the code is taken.
                var raced = await FindOneAsync(connection, tx, "grant_key = @k", coupon.GrantKey, cancellationToken).ConfigureAwait(false);
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return raced is null ? new CouponIssueResult(CouponIssueOutcome.CodeTaken, null) : new CouponIssueResult(CouponIssueOutcome.AlreadyIssued, raced);
            }

            await AuditAsync(connection, tx, coupon.Code, CouponAuditAction.Issued, null, coupon.IssuedAt, 0, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new CouponIssueResult(CouponIssueOutcome.Issued, coupon with { Uses = [] });
        }
    }

    public async Task<Coupon?> FindAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await FindOneAsync(connection, null, "code = @k", code, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Coupon?> FindByGrantAsync(string grantKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grantKey);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await FindOneAsync(connection, null, "grant_key = @k", grantKey, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<Coupon>> ListAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One statement, so the coupons and their uses are read as of one moment.
            var rows = await Sql.QueryAsync(
                connection,
                null,
                $"SELECT {Prefixed("c", CouponColumns)}, u.order_id, u.state, u.at_ticks, u.at_offset, u.until_ticks, u.until_offset, u.order_amount, u.discount, u.seq "
                + "FROM cf_coupons c LEFT JOIN cf_coupon_uses u ON u.code = c.code",
                r => (Coupon: ReadCoupon(r), Use: r.IsDBNull(11) ? null : ReadUseAt(r, 10), Seq: r.IsDBNull(11) ? 0 : Sql.GetLong(r, 19)),
                cancellationToken).ConfigureAwait(false);
            return rows
                .GroupBy(row => row.Coupon.Code, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.First().Coupon with { Uses = g.Where(row => row.Use is not null).OrderBy(row => row.Seq).Select(row => row.Use!).ToList() })
                .ToList();
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

        return StepAsync(code, orderId, at, (c, held) => CouponSteps.Reserve(c, orderId, at, until, charge, held), cancellationToken);
    }

    public Task<CouponStepOutcome> RedeemAsync(string code, string orderId, DateTimeOffset at, CouponCharge charge, CancellationToken cancellationToken)
    {
        CouponSteps.CheckArguments(code, orderId);
        CouponSteps.CheckCharge(charge);
        return StepAsync(code, orderId, at, (c, held) => CouponSteps.Redeem(c, orderId, at, charge, held), cancellationToken);
    }

    public Task<CouponStepOutcome> RollbackAsync(string code, string orderId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        CouponSteps.CheckArguments(code, orderId);
        return StepAsync(code, null, at, (c, _) => CouponSteps.Rollback(c, orderId, at), cancellationToken);
    }

    public async Task<long> GetBudgetUsedAsync(string budgetId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(budgetId);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await BudgetHeldAsync(connection, null, budgetId, string.Empty, string.Empty, at, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<CouponAuditEntry>> GetAuditTrailAsync(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await Sql.QueryAsync(
                connection,
                null,
                "SELECT code, action, order_id, at_ticks, at_offset, amount FROM cf_coupon_audit WHERE code = @c ORDER BY seq",
                r => new CouponAuditEntry(r.GetString(0), (CouponAuditAction)Sql.GetLong(r, 1), Sql.GetNullableString(r, 2), At(Sql.GetLong(r, 3), Sql.GetLong(r, 4)), Sql.GetLong(r, 5)),
                cancellationToken,
                ("c", code)).ConfigureAwait(false);
        }
    }

    // What the uses of the budget's coupons hold at `at`, leaving out (code, order) (empty: nothing left out).
    private static async Task<long> BudgetHeldAsync(DbConnection connection, DbTransaction? tx, string budgetId, string code, string orderId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var held = await Sql.QueryAsync(
            connection,
            tx,
            "SELECT CAST(COALESCE(SUM(u.discount), 0) AS BIGINT) FROM cf_coupon_uses u JOIN cf_coupons c ON c.code = u.code "
            + "WHERE c.budget_id = @b AND NOT (u.code = @c AND u.order_id = @o) AND (u.state = 1 OR (u.state = 0 AND u.until_ticks > @at))",
            r => Sql.GetLong(r, 0),
            cancellationToken,
            ("b", budgetId),
            ("c", code),
            ("o", orderId),
            ("at", at.UtcTicks)).ConfigureAwait(false);
        return held[0];
    }

    // The budget's row is the lock every step on one of its coupons takes (after the coupon's row, always in this
    // order), so two instances cannot both fit a discount into the last of it.
    private async Task LockBudgetAsync(DbConnection connection, DbTransaction tx, string budgetId, CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(connection, tx, "INSERT INTO cf_coupon_budgets (budget_id) VALUES (@b) ON CONFLICT DO NOTHING", cancellationToken, ("b", budgetId)).ConfigureAwait(false);
        await Sql.QueryAsync(connection, tx, $"SELECT budget_id FROM cf_coupon_budgets WHERE budget_id = @b{database.ForUpdate}", r => r.GetString(0), cancellationToken, ("b", budgetId)).ConfigureAwait(false);
    }

    // orderId: the order whose use may come to hold some of the coupon's budget (null for a rollback, which never does).
    private async Task<CouponStepOutcome> StepAsync(string code, string? orderId, DateTimeOffset at, Func<Coupon, long, (CouponStepOutcome Outcome, CouponUse? Write)> decide, CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var coupon = await FindOneAsync(connection, tx, "code = @k", code, cancellationToken, database.ForUpdate).ConfigureAwait(false);
            if (coupon is null)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return CouponStepOutcome.NotFound;
            }

            long held = 0;
            if (orderId is not null && coupon.BudgetId is { } budgetId)
            {
                await LockBudgetAsync(connection, tx, budgetId, cancellationToken).ConfigureAwait(false);
                held = await BudgetHeldAsync(connection, tx, budgetId, code, orderId, at, cancellationToken).ConfigureAwait(false);
            }

            var (outcome, write) = decide(coupon, held);
            if (write is null)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return outcome;
            }

            var known = coupon.Uses.Any(u => string.Equals(u.OrderId, write.OrderId, StringComparison.Ordinal));
            (string, object?)[] values =
            [
                ("c", code),
                ("o", write.OrderId),
                ("s", (long)write.State),
                ("at", write.At.UtcTicks),
                ("ao", (long)write.At.Offset.TotalMinutes),
                ("ut", Sql.Ticks(write.ReservedUntil)),
                ("uo", write.ReservedUntil is { } u ? (long)u.Offset.TotalMinutes : null),
                ("oa", write.OrderAmount),
                ("d", write.Discount),
                ("seq", (long)coupon.Uses.Count),
            ];
            await Sql.ExecuteAsync(
                connection,
                tx,
                known
                    ? "UPDATE cf_coupon_uses SET state = @s, at_ticks = @at, at_offset = @ao, until_ticks = @ut, until_offset = @uo, order_amount = @oa, discount = @d WHERE code = @c AND order_id = @o"
                    : $"INSERT INTO cf_coupon_uses ({UseColumns}, seq) VALUES (@c, @o, @s, @at, @ao, @ut, @uo, @oa, @d, @seq)",
                cancellationToken,
                values).ConfigureAwait(false);
            var action = CouponSteps.ActionOf(write);
            await AuditAsync(connection, tx, code, action, write.OrderId, write.At, action == CouponAuditAction.Redeemed ? write.Discount : 0, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return outcome;
        }
    }

    private static async Task<Coupon?> FindOneAsync(DbConnection connection, DbTransaction? tx, string where, string key, CancellationToken cancellationToken, string forUpdate = "")
    {
        var found = await Sql.QueryAsync(connection, tx, $"SELECT {CouponColumns} FROM cf_coupons WHERE {where}{forUpdate}", ReadCoupon, cancellationToken, ("k", key)).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return null;
        }

        var uses = await Sql.QueryAsync(connection, tx, $"SELECT {UseColumns} FROM cf_coupon_uses WHERE code = @c ORDER BY seq", ReadUse, cancellationToken, ("c", found[0].Code)).ConfigureAwait(false);
        return found[0] with { Uses = uses };
    }

    private static Task<int> AuditAsync(DbConnection connection, DbTransaction tx, string code, CouponAuditAction action, string? orderId, DateTimeOffset at, long amount, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(
            connection,
            tx,
            "INSERT INTO cf_coupon_audit (code, action, order_id, at_ticks, at_offset, amount) VALUES (@c, @a, @o, @t, @to, @m)",
            cancellationToken,
            ("c", code),
            ("a", (long)action),
            ("o", orderId),
            ("t", at.UtcTicks),
            ("to", (long)at.Offset.TotalMinutes),
            ("m", amount));

    private static Coupon ReadCoupon(DbDataReader r) => new()
    {
        Code = r.GetString(0),
        GrantKey = r.GetString(1),
        RuleId = r.GetString(2),
        Member = r.GetString(3),
        Terms = StoreJson.Read<RewardCoupon>(r.GetString(4), "coupon terms"),
        IssuedAt = At(Sql.GetLong(r, 5), Sql.GetLong(r, 6)),
        ExpiresAt = Sql.GetNullableLong(r, 7) is { } ex ? At(ex, Sql.GetNullableLong(r, 8) ?? 0) : null,
        UsageLimit = (int)Sql.GetLong(r, 9),
        BudgetId = Sql.GetNullableString(r, 10),
    };

    private static CouponUse ReadUse(DbDataReader r) => ReadUseAt(r, 0);

    // The use's columns from order_id on, starting at column first + 1 (UseColumns starts with the code).
    private static CouponUse ReadUseAt(DbDataReader r, int first) => new(
        r.GetString(first + 1),
        (CouponUseState)Sql.GetLong(r, first + 2),
        At(Sql.GetLong(r, first + 3), Sql.GetLong(r, first + 4)),
        Sql.GetNullableLong(r, first + 5) is { } u ? At(u, Sql.GetNullableLong(r, first + 6) ?? 0) : null,
        Sql.GetLong(r, first + 7),
        Sql.GetLong(r, first + 8));

    private static string Prefixed(string alias, string columns) =>
        string.Join(", ", columns.Split(", ").Select(c => alias + "." + c));

    private static DateTimeOffset At(long utcTicks, long offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
}
