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

    public RewardAppendResult TryAppend(RewardLedgerEntry grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.Kind != RewardEntryKind.Grant)
        {
            throw new ArgumentException("Only grants are appended with TryAppend; use TryReverse for reversals.", nameof(grant));
        }

        using var connection = database.Open();
        using var tx = database.BeginWrite(connection);
        var result = Append(connection, tx, grant);
        if (result == RewardAppendResult.Granted)
        {
            tx.Commit();
        }
        else
        {
            tx.Rollback();
        }

        return result;
    }

    /// <summary>Appends several grants in one transaction (one commit): each grant succeeds or fails on its own.</summary>
    public RewardAppendResult[] TryAppendBatch(IReadOnlyList<RewardLedgerEntry> grants)
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
        using var connection = database.Open();
        using var tx = database.BeginWrite(connection);
        for (var i = 0; i < grants.Count; i++)
        {
            Sql.Execute(connection, tx, "SAVEPOINT cf_grant");
            results[i] = Append(connection, tx, grants[i]);
            Sql.Execute(connection, tx, results[i] == RewardAppendResult.Granted ? "RELEASE SAVEPOINT cf_grant" : "ROLLBACK TO SAVEPOINT cf_grant");
        }

        tx.Commit();
        return results;
    }

    public RewardReverseResult TryReverse(string grantKey, DateTimeOffset at, string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantKey);
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var reversalKey = grantKey + "|reversed";
        using var connection = database.Open();
        using var tx = database.BeginWrite(connection);
        RewardLedgerEntry? grant;
        using (var command = Sql.Command(connection, tx, $"SELECT {Columns} FROM cf_reward_ledger WHERE entry_key = @k", ("k", grantKey)))
        using (var reader = command.ExecuteReader())
        {
            grant = reader.Read() ? ReadEntry(reader) : null;
        }

        if (grant is null || grant.Kind != RewardEntryKind.Grant)
        {
            tx.Rollback();
            return RewardReverseResult.NotFound;
        }

        var reversal = grant with { Key = reversalKey, Kind = RewardEntryKind.Reversal, At = at, EventId = eventId, Reverses = grantKey };
        if (!Insert(connection, tx, reversal))
        {
            tx.Rollback();
            return RewardReverseResult.AlreadyReversed;
        }

        foreach (var c in grant.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Sql.Execute(connection, tx, "UPDATE cf_reward_counters SET used = used - @a WHERE counter_key = @k", ("k", c.Key), ("a", c.Amount));
        }

        tx.Commit();
        return RewardReverseResult.Reversed;
    }

    public long GetCounter(string counterKey)
    {
        ArgumentNullException.ThrowIfNull(counterKey);
        using var connection = database.Open();
        return Sql.ToInt64(Sql.Scalar(connection, null, "SELECT used FROM cf_reward_counters WHERE counter_key = @k", ("k", counterKey)));
    }

    public IReadOnlyList<RewardLedgerEntry> Snapshot()
    {
        using var connection = database.Open();
        using var command = Sql.Command(connection, null, $"SELECT {Columns} FROM cf_reward_ledger ORDER BY seq");
        using var reader = command.ExecuteReader();
        var list = new List<RewardLedgerEntry>();
        while (reader.Read())
        {
            list.Add(ReadEntry(reader));
        }

        return list;
    }

    /// <summary>Inserts the grant and consumes its counters; the caller commits only on <see cref="RewardAppendResult.Granted"/>.</summary>
    private static RewardAppendResult Append(DbConnection connection, DbTransaction tx, RewardLedgerEntry grant)
    {
        if (!Insert(connection, tx, grant))
        {
            return RewardAppendResult.AlreadyGranted;
        }

        // Every counter is tried (as the in-memory ledger checks every one): a cap beats a budget in the outcome.
        var capFailed = false;
        var budgetFailed = false;
        foreach (var c in grant.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Sql.Execute(connection, tx, "INSERT INTO cf_reward_counters (counter_key, used) VALUES (@k, 0) ON CONFLICT (counter_key) DO NOTHING", ("k", c.Key));
            var updated = Sql.Execute(
                connection,
                tx,
                "UPDATE cf_reward_counters SET used = used + @a WHERE counter_key = @k AND used + @a <= @l",
                ("k", c.Key),
                ("a", c.Amount),
                ("l", c.Limit));
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

    private static bool Insert(DbConnection connection, DbTransaction tx, RewardLedgerEntry e) =>
        Sql.Execute(
            connection,
            tx,
            $"INSERT INTO cf_reward_ledger ({Columns}) VALUES (@k, @kind, @rule, @m, @at, @ato, @ev, @rw, @c, @ex, @exo, @rev) ON CONFLICT (entry_key) DO NOTHING",
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
            ("rev", e.Reverses)) == 1;

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
