using System.Data.Common;
using CommunityFunnel.Members;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IMemberStore"/> on SQL: one row per (group, member) with a version column, written with
/// <c>INSERT … ON CONFLICT DO NOTHING</c> (first save) or <c>UPDATE … WHERE version = @expected</c>, and the
/// transitions appended to an append-only table in the same transaction (and, with the outbox, the actions the save
/// decided to <c>cf_outbox</c>). The next deadline has its own indexed column (<c>due_ticks</c>) for
/// <see cref="IMemberDeadlineIndex"/>; a save clears the row's lease.
/// </summary>
internal sealed class SqlMemberStore(SqlDatabase database) : IMemberStore, IMemberDeadlineIndex
{
    public async Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(member);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var found = await Sql.QueryAsync(
                connection, null, "SELECT version, record FROM cf_members WHERE group_id = @g AND member_id = @m", ReadRecord, cancellationToken, ("g", group), ("m", member)).ConfigureAwait(false);
            return found.Count == 0 ? null : found[0];
        }
    }

    public async Task<IReadOnlyList<MemberRecord>> ListGroupAsync(string group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var list = await Sql.QueryAsync(connection, null, "SELECT version, record FROM cf_members WHERE group_id = @g", ReadRecord, cancellationToken, ("g", group)).ConfigureAwait(false);

            // Ordinal (UTF-16) order, as the in-memory store: database collations differ.
            list.Sort((a, b) => string.CompareOrdinal(a.Member, b.Member));
            return list;
        }
    }

    public Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, CancellationToken cancellationToken) =>
        SaveAsync(record, expectedVersion, transitions, [], cancellationToken);

    public async Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, IReadOnlyList<OutboxEntry> outbox, CancellationToken cancellationToken)
    {
        Check(record, expectedVersion, transitions, nameof(record));
        ArgumentNullException.ThrowIfNull(outbox);
        var pending = outbox.Select(OutboxChecks.AsPending).ToList();
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            if (await WriteAsync(connection, tx, record, expectedVersion, transitions, cancellationToken).ConfigureAwait(false) is { } actual)
            {
                tx.Rollback();
                throw new MemberVersionConflictException(record.Group, record.Member, expectedVersion, actual);
            }

            await SqlActionOutbox.AppendAsync(connection, tx, pending, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Saves several members in one transaction (one commit); false where the version did not match (that save only is skipped).</summary>
    public async Task<bool[]> SaveAllAsync(IReadOnlyList<(MemberRecord Record, long ExpectedVersion, IReadOnlyList<MemberTransition> Transitions)> saves, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(saves);
        foreach (var (record, expectedVersion, transitions) in saves)
        {
            Check(record, expectedVersion, transitions, nameof(saves));
        }

        var saved = new bool[saves.Count];
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            for (var i = 0; i < saves.Count; i++)
            {
                await Sql.ExecuteAsync(connection, tx, "SAVEPOINT cf_save", cancellationToken).ConfigureAwait(false);
                saved[i] = await WriteAsync(connection, tx, saves[i].Record, saves[i].ExpectedVersion, saves[i].Transitions, cancellationToken).ConfigureAwait(false) is null;
                await Sql.ExecuteAsync(connection, tx, saved[i] ? "RELEASE SAVEPOINT cf_save" : "ROLLBACK TO SAVEPOINT cf_save", cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return saved;
    }

    public async Task<IReadOnlyList<MemberRecord>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        OutboxChecks.Claim(owner, now, leaseUntil, max);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var claimed = await Sql.QueryAsync(
                connection,
                tx,
                "UPDATE cf_members SET lease_owner = @o, lease_until = @u WHERE (group_id, member_id) IN ("
                + "SELECT group_id, member_id FROM cf_members WHERE due_ticks <= @now AND (lease_until IS NULL OR lease_until <= @now) "
                + $"ORDER BY due_ticks LIMIT @n{database.ForUpdateSkipLocked}) RETURNING version, record, due_ticks",
                r => (Record: ReadRecord(r), Due: Sql.GetLong(r, 2)),
                cancellationToken,
                ("o", owner),
                ("u", leaseUntil.UtcTicks),
                ("now", now.UtcTicks),
                ("n", (long)max)).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);

            // Earliest first, then ordinal ids (RETURNING keeps no order; collations differ).
            claimed.Sort((a, b) => MemberDueOrder.Instance.Compare((a.Due, a.Record.Group, a.Record.Member), (b.Due, b.Record.Group, b.Record.Member)));
            return claimed.Select(c => c.Record).ToList();
        }
    }

    public async Task ReleaseAsync(string owner, IReadOnlyList<MemberRecord> claimed, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(claimed);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            foreach (var record in claimed)
            {
                await Sql.ExecuteAsync(
                    connection,
                    tx,
                    "UPDATE cf_members SET lease_owner = NULL, lease_until = NULL WHERE group_id = @g AND member_id = @m AND lease_owner = @o",
                    cancellationToken,
                    ("g", record.Group),
                    ("m", record.Member),
                    ("o", owner)).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<MemberTransition>> GetAuditTrailAsync(string group, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(member);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await Sql.QueryAsync(
                connection,
                null,
                "SELECT group_id, member_id, from_state, to_state, trigger_id, at_ticks, at_offset FROM cf_member_transitions WHERE group_id = @g AND member_id = @m ORDER BY seq",
                ReadTransition,
                cancellationToken,
                ("g", group),
                ("m", member)).ConfigureAwait(false);
        }
    }

    private static void Check(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, string paramName)
    {
        ArgumentNullException.ThrowIfNull(record, paramName);
        ArgumentNullException.ThrowIfNull(transitions, paramName);
        if (record.Version != checked(expectedVersion + 1))
        {
            throw new ArgumentException($"record.Version must be expectedVersion + 1 ({expectedVersion + 1}); it is {record.Version} for '{record.Member}'.", paramName);
        }
    }

    /// <summary>Writes one save; null when written, else the version found (the caller rolls back).</summary>
    private static async Task<long?> WriteAsync(DbConnection connection, DbTransaction tx, MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, CancellationToken cancellationToken)
    {
        var json = StoreJson.Write(record);
        long? due = record.NextDeadline?.UtcTicks;
        var written = expectedVersion == 0
            ? await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_members (group_id, member_id, version, state, record, due_ticks) VALUES (@g, @m, @v, @s, @r, @d) ON CONFLICT (group_id, member_id) DO NOTHING",
                cancellationToken,
                ("g", record.Group), ("m", record.Member), ("v", record.Version), ("s", (long)record.State), ("r", json), ("d", due)).ConfigureAwait(false)
            : await Sql.ExecuteAsync(
                connection,
                tx,
                "UPDATE cf_members SET version = @v, state = @s, record = @r, due_ticks = @d, lease_owner = NULL, lease_until = NULL WHERE group_id = @g AND member_id = @m AND version = @e",
                cancellationToken,
                ("g", record.Group), ("m", record.Member), ("v", record.Version), ("s", (long)record.State), ("r", json), ("d", due), ("e", expectedVersion)).ConfigureAwait(false);
        if (written != 1)
        {
            return Sql.ToInt64(await Sql.ScalarAsync(
                connection, tx, "SELECT version FROM cf_members WHERE group_id = @g AND member_id = @m", cancellationToken, ("g", record.Group), ("m", record.Member)).ConfigureAwait(false));
        }

        foreach (var t in transitions)
        {
            await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_member_transitions (group_id, member_id, from_state, to_state, trigger_id, at_ticks, at_offset) VALUES (@g, @m, @f, @t, @tr, @at, @o)",
                cancellationToken,
                ("g", t.Group), ("m", t.Member), ("f", t.From is { } from ? (long)from : null), ("t", (long)t.To), ("tr", t.Trigger), ("at", t.At.UtcTicks), ("o", (long)t.At.Offset.TotalMinutes)).ConfigureAwait(false);
        }

        return null;
    }

    private static MemberTransition ReadTransition(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Sql.GetNullableLong(reader, 2) is { } from ? (MemberState)from : null,
        (MemberState)Sql.GetLong(reader, 3),
        reader.GetString(4),
        new DateTimeOffset(Sql.GetLong(reader, 5), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(Sql.GetLong(reader, 6))));

    private static MemberRecord ReadRecord(DbDataReader reader) =>
        StoreJson.Read<MemberRecord>(reader.GetString(1), "member record") with { Version = Sql.GetLong(reader, 0) };
}
