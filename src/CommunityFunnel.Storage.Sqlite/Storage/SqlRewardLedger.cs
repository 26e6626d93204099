using System.Data.Common;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IRewardLedger"/> on SQL. The idempotency key is a unique column and the grant's counters are
/// consumed with conditional updates (<c>used + @amount &lt;= @limit</c>) in the same transaction as the insert,
/// so there is no check-then-insert race between host instances. Counters are taken in key order (no deadlock).
/// </summary>
internal sealed class SqlRewardLedger(SqlDatabase database) : IRewardLedger
{
    private const string Columns = "entry_key, kind, rule_id, member_id, at_ticks, at_offset, event_id, rewards, counters, expires_ticks, expires_offset, reverses";

    public async Task<RewardAppendResult> TryAppendAsync(RewardLedgerEntry grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.Kind != RewardEntryKind.Grant)
        {
            throw new ArgumentException("Only grants are appended with TryAppendAsync; use TryReverseAsync for reversals.", nameof(grant));
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var result = await AppendAsync(connection, tx, grant, cancellationToken).ConfigureAwait(false);
            if (result == RewardAppendResult.Granted)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
    }

    /// <summary>Appends several grants in one transaction (one commit): each grant succeeds or fails on its own.</summary>
    public async Task<RewardAppendResult[]> TryAppendBatchAsync(IReadOnlyList<RewardLedgerEntry> grants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grants);
        foreach (var grant in grants)
        {
            ArgumentNullException.ThrowIfNull(grant, nameof(grants));
            if (grant.Kind != RewardEntryKind.Grant)
            {
                throw new ArgumentException($"Only grants are appended; '{grant.Key}' is a {grant.Kind}.", nameof(grants));
            }
        }

        var results = new RewardAppendResult[grants.Count];
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            for (var i = 0; i < grants.Count; i++)
            {
                await Sql.ExecuteAsync(connection, tx, "SAVEPOINT cf_grant", cancellationToken).ConfigureAwait(false);
                results[i] = await AppendAsync(connection, tx, grants[i], cancellationToken).ConfigureAwait(false);
                await Sql.ExecuteAsync(connection, tx, results[i] == RewardAppendResult.Granted ? "RELEASE SAVEPOINT cf_grant" : "ROLLBACK TO SAVEPOINT cf_grant", cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    public async Task<RewardReverseResult> TryReverseAsync(string grantKey, DateTimeOffset at, string eventId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantKey);
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var reversalKey = grantKey + "|reversed";
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var found = await Sql.QueryAsync(connection, tx, $"SELECT {Columns} FROM cf_reward_ledger WHERE entry_key = @k", ReadEntry, cancellationToken, ("k", grantKey)).ConfigureAwait(false);
            var grant = found.Count == 0 ? null : found[0];
            if (grant is null || grant.Kind != RewardEntryKind.Grant)
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return RewardReverseResult.NotFound;
            }

            var reversal = grant with { Key = reversalKey, Kind = RewardEntryKind.Reversal, At = at, EventId = eventId, Reverses = grantKey };
            if (!await InsertAsync(connection, tx, reversal, cancellationToken).ConfigureAwait(false))
            {
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return RewardReverseResult.AlreadyReversed;
            }

            foreach (var c in grant.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                await Sql.ExecuteAsync(connection, tx, "UPDATE cf_reward_counters SET used = used - @a WHERE counter_key = @k", cancellationToken, ("k", c.Key), ("a", c.Amount)).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return RewardReverseResult.Reversed;
        }
    }

    public async Task<long> GetCounterAsync(string counterKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counterKey);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return Sql.ToInt64(await Sql.ScalarAsync(connection, null, "SELECT used FROM cf_reward_counters WHERE counter_key = @k", cancellationToken, ("k", counterKey)).ConfigureAwait(false));
        }
    }

    public async Task<IReadOnlyList<RewardLedgerEntry>> GetEntriesAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await Sql.QueryAsync(connection, null, $"SELECT {Columns} FROM cf_reward_ledger ORDER BY seq", ReadEntry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Inserts the grant and consumes its counters; the caller commits only on <see cref="RewardAppendResult.Granted"/>.</summary>
    private static async Task<RewardAppendResult> AppendAsync(DbConnection connection, DbTransaction tx, RewardLedgerEntry grant, CancellationToken cancellationToken)
    {
        if (!await InsertAsync(connection, tx, grant, cancellationToken).ConfigureAwait(false))
        {
            return RewardAppendResult.AlreadyGranted;
        }

        // Every counter is tried (as the in-memory ledger checks every one): a cap beats a budget in the outcome.
        var capFailed = false;
        var budgetFailed = false;
        foreach (var c in grant.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            await Sql.ExecuteAsync(connection, tx, "INSERT INTO cf_reward_counters (counter_key, used) VALUES (@k, 0) ON CONFLICT (counter_key) DO NOTHING", cancellationToken, ("k", c.Key)).ConfigureAwait(false);
            var updated = await Sql.ExecuteAsync(
                connection,
                tx,
                "UPDATE cf_reward_counters SET used = used + @a WHERE counter_key = @k AND used + @a <= @l",
                cancellationToken,
                ("k", c.Key),
                ("a", c.Amount),
                ("l", c.Limit)).ConfigureAwait(false);
            if (updated != 1)
            {
                capFailed |= !c.IsBudget;
                budgetFailed |= c.IsBudget;
            }
        }

        return capFailed ? RewardAppendResult.LimitReached
            : budgetFailed ? RewardAppendResult.BudgetExhausted
            : RewardAppendResult.Granted;
    }

    private static async Task<bool> InsertAsync(DbConnection connection, DbTransaction tx, RewardLedgerEntry e, CancellationToken cancellationToken) =>
        await Sql.ExecuteAsync(
            connection,
            tx,
            $"INSERT INTO cf_reward_ledger ({Columns}) VALUES (@k, @kind, @rule, @m, @at, @ato, @ev, @rw, @c, @ex, @exo, @rev) ON CONFLICT (entry_key) DO NOTHING",
            cancellationToken,
            ("k", e.Key),
            ("kind", (long)e.Kind),
            ("rule", e.RuleId),
            ("m", e.Member),
            ("at", e.At.UtcTicks),
            ("ato", (long)e.At.Offset.TotalMinutes),
            ("ev", e.EventId),
            ("rw", StoreJson.Write(e.Rewards)),
            ("c", StoreJson.Write(e.Counters)),
            ("ex", Sql.Ticks(e.ExpiresAt)),
            ("exo", e.ExpiresAt is { } x ? (long)x.Offset.TotalMinutes : null),
            ("rev", e.Reverses)).ConfigureAwait(false) == 1;

    private static RewardLedgerEntry ReadEntry(DbDataReader r) => new()
    {
        Key = r.GetString(0),
        Kind = (RewardEntryKind)Sql.GetLong(r, 1),
        RuleId = r.GetString(2),
        Member = r.GetString(3),
        At = At(Sql.GetLong(r, 4), Sql.GetLong(r, 5)),
        EventId = r.GetString(6),
        Rewards = StoreJson.Read<List<RewardSpec>>(r.GetString(7), "ledger rewards"),
        Counters = StoreJson.Read<List<RewardCounter>>(r.GetString(8), "ledger counters"),
        ExpiresAt = Sql.GetNullableLong(r, 9) is { } ex ? At(ex, Sql.GetNullableLong(r, 10) ?? 0) : null,
        Reverses = Sql.GetNullableString(r, 11),
    };

    private static DateTimeOffset At(long utcTicks, long offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
}
