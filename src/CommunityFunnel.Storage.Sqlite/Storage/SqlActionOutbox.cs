using System.Data.Common;
using CommunityFunnel.Campaigns;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IActionOutbox"/> on SQL: the <c>cf_outbox</c> rows the member store's save wrote, and the campaign's
/// actions enqueued (id unique; <c>action_type</c> says which). A claim is
/// one <c>UPDATE … WHERE seq IN (SELECT … FOR UPDATE SKIP LOCKED)</c> on PostgreSQL, so two instances polling at once
/// take different rows; on SQLite the single writer serializes claims. A mark names the owner: an instance whose lease
/// was taken over cannot mark the entry.
/// </summary>
internal sealed class SqlActionOutbox(SqlDatabase database) : IActionOutbox
{
    private const string Columns = "id, action_type, action, decided_ticks, decided_offset, state, attempts, next_ticks, next_offset, last_error, completed_ticks, completed_offset, seq";

    /// <summary>Writes new entries in the caller's transaction; an id already there is left as it is.</summary>
    /// <returns>How many were new.</returns>
    public static async Task<int> AppendAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var e in entries)
        {
            // group_id and member_id say whom the row is about (a campaign action: its draw and its winner, if any).
            var (type, group, member, json) = OutboxChecks.AsPending(e).Action switch
            {
                MemberAction a => ("member", a.Group, a.Member, StoreJson.Write(a)),
                CampaignAction a => ("campaign", a.DrawId, a.Member ?? string.Empty, StoreJson.Write(a)),
                RewardGranted a => ("grant", a.Group, a.Grant.Member, StoreJson.Write(a)),
                var other => throw new ArgumentException($"outbox entry {e.Id}: {other.GetType().Name} is not an action the outbox keeps", nameof(entries)),
            };
            added += await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_outbox (id, action_type, group_id, member_id, action, decided_ticks, decided_offset, state, attempts, next_ticks, next_offset) "
                + "VALUES (@id, @t, @g, @m, @a, @dt, @do, 0, 0, @nt, @no) ON CONFLICT (id) DO NOTHING",
                cancellationToken,
                ("id", e.Id),
                ("t", type),
                ("g", group),
                ("m", member),
                ("a", json),
                ("dt", e.DecidedAt.UtcTicks),
                ("do", Offset(e.DecidedAt)),
                ("nt", e.NextAttemptAt.UtcTicks),
                ("no", Offset(e.NextAttemptAt))).ConfigureAwait(false);
        }

        return added;
    }

    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return 0;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var added = await AppendAsync(connection, tx, entries, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return added;
        }
    }

    public async Task<IReadOnlyList<OutboxEntry>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        OutboxChecks.Claim(owner, now, leaseUntil, max);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var claimed = await Sql.QueryAsync(
                connection,
                tx,
                "UPDATE cf_outbox SET lease_owner = @o, lease_until = @u WHERE seq IN ("
                + "SELECT seq FROM cf_outbox WHERE state = 0 AND next_ticks <= @now AND (lease_until IS NULL OR lease_until <= @now) "
                + $"ORDER BY seq LIMIT @n{database.ForUpdateSkipLocked}) RETURNING {Columns}",
                Read,
                cancellationToken,
                ("o", owner),
                ("u", leaseUntil.UtcTicks),
                ("now", now.UtcTicks),
                ("n", (long)max)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            claimed.Sort((a, b) => a.Seq.CompareTo(b.Seq));
            return claimed.Select(c => c.Entry).ToList();
        }
    }

    private const string Delivered = "state = 1, completed_ticks = @ct, completed_offset = @co";

    public Task<bool> MarkDeliveredAsync(string id, string owner, DateTimeOffset at, CancellationToken cancellationToken) =>
        MarkAsync(id, owner, Delivered, cancellationToken, ("ct", at.UtcTicks), ("co", Offset(at)));

    public async Task<IReadOnlyList<bool>> MarkDeliveredAsync(IReadOnlyList<string> ids, string owner, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var taken = new bool[ids.Count];
        if (ids.Count == 0)
        {
            return taken;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            for (var i = 0; i < taken.Length; i++)
            {
                ArgumentNullException.ThrowIfNull(ids[i], nameof(ids));
                taken[i] = await Sql.ExecuteAsync(
                    connection,
                    tx,
                    MarkStatement(Delivered),
                    cancellationToken,
                    ("id", ids[i]),
                    ("o", owner),
                    ("ct", at.UtcTicks),
                    ("co", Offset(at))).ConfigureAwait(false) == 1;
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return taken;
        }
    }

    public Task<bool> MarkFailedAsync(string id, string owner, DateTimeOffset at, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return retryAt is { } retry
            ? MarkAsync(id, owner, "attempts = attempts + 1, last_error = @e, next_ticks = @nt, next_offset = @no", cancellationToken, ("e", error), ("nt", retry.UtcTicks), ("no", Offset(retry)))
            : MarkAsync(id, owner, "attempts = attempts + 1, last_error = @e, state = 2, completed_ticks = @ct, completed_offset = @co", cancellationToken, ("e", error), ("ct", at.UtcTicks), ("co", Offset(at)));
    }

    public async Task<OutboxEntry?> FindAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var found = await Sql.QueryAsync(connection, null, $"SELECT {Columns} FROM cf_outbox WHERE id = @id", Read, cancellationToken, ("id", id)).ConfigureAwait(false);
            return found.Count == 0 ? null : found[0].Entry;
        }
    }

    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxState state, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var found = await Sql.QueryAsync(
                connection, null, $"SELECT {Columns} FROM cf_outbox WHERE state = @s ORDER BY seq LIMIT @n", Read, cancellationToken, ("s", (long)state), ("n", (long)max)).ConfigureAwait(false);
            return found.Select(f => f.Entry).ToList();
        }
    }

    public async Task<OutboxStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var counts = await Sql.QueryAsync(
                connection,
                null,
                // Two counts on the (state, seq) index: delivered rows, the bulk of the table, are never read.
                "SELECT (SELECT COUNT(*) FROM cf_outbox WHERE state = 0), (SELECT COUNT(*) FROM cf_outbox WHERE state = 2)",
                r => (Pending: Sql.GetLong(r, 0), Dead: Sql.GetLong(r, 1)),
                cancellationToken).ConfigureAwait(false);
            var oldest = await Sql.QueryAsync(
                connection, null, "SELECT decided_ticks, decided_offset FROM cf_outbox WHERE state = 0 ORDER BY seq LIMIT 1", r => At(Sql.GetLong(r, 0), Sql.GetLong(r, 1)), cancellationToken).ConfigureAwait(false);
            return new OutboxStatistics(counts[0].Pending, counts[0].Dead, oldest.Count == 0 ? null : oldest[0]);
        }
    }

    private async Task<bool> MarkAsync(string id, string owner, string set, CancellationToken cancellationToken, params (string, object?)[] values)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var changed = await Sql.ExecuteAsync(
                connection,
                null,
                MarkStatement(set),
                cancellationToken,
                [("id", id), ("o", owner), .. values]).ConfigureAwait(false);
            return changed == 1;
        }
    }

    /// <summary>A mark: the change <paramref name="set"/> and the lease released, only on a pending entry the owner holds.</summary>
    private static string MarkStatement(string set) =>
        $"UPDATE cf_outbox SET {set}, lease_owner = NULL, lease_until = NULL WHERE id = @id AND state = 0 AND lease_owner = @o";

    private static (OutboxEntry Entry, long Seq) Read(DbDataReader r) => (
        new OutboxEntry
        {
            Id = r.GetString(0),
            Action = r.GetString(1) switch
            {
                "member" => StoreJson.Read<MemberAction>(r.GetString(2), "outbox action"),
                "campaign" => StoreJson.Read<CampaignAction>(r.GetString(2), "outbox campaign action"),
                "grant" => StoreJson.Read<RewardGranted>(r.GetString(2), "outbox grant notice"),
                var t => throw new InvalidOperationException($"The stored outbox entry {r.GetString(0)} has an unknown action_type '{t}' (written by a newer version?)"),
            },
            DecidedAt = At(Sql.GetLong(r, 3), Sql.GetLong(r, 4)),
            State = (OutboxState)Sql.GetLong(r, 5),
            Attempts = (int)Sql.GetLong(r, 6),
            NextAttemptAt = At(Sql.GetLong(r, 7), Sql.GetLong(r, 8)),
            LastError = Sql.GetNullableString(r, 9),
            CompletedAt = Sql.GetNullableLong(r, 10) is { } c ? At(c, Sql.GetNullableLong(r, 11) ?? 0) : null,
        },
        Sql.GetLong(r, 12));

    private static long Offset(DateTimeOffset at) => (long)at.Offset.TotalMinutes;

    private static DateTimeOffset At(long utcTicks, long offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
}
