using System.Data.Common;
using CommunityFunnel.Members;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IMemberStore"/> on SQL: one row per (group, member) with a version column, written with
/// <c>INSERT … ON CONFLICT DO NOTHING</c> (first save) or <c>UPDATE … WHERE version = @expected</c>, and the
/// transitions appended to an append-only table in the same transaction.
/// </summary>
internal sealed class SqlMemberStore(SqlDatabase database) : IMemberStore
{
    public MemberRecord? Find(string group, string member)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(member);
        using var connection = database.Open();
        using var command = Sql.Command(connection, null, "SELECT version, record FROM cf_members WHERE group_id = @g AND member_id = @m", ("g", group), ("m", member));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRecord(Sql.GetLong(reader, 0), reader.GetString(1)) : null;
    }

    public IReadOnlyList<MemberRecord> ListGroup(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        using var connection = database.Open();
        using var command = Sql.Command(connection, null, "SELECT version, record FROM cf_members WHERE group_id = @g", ("g", group));
        using var reader = command.ExecuteReader();
        var list = new List<MemberRecord>();
        while (reader.Read())
        {
            list.Add(ReadRecord(Sql.GetLong(reader, 0), reader.GetString(1)));
        }

        // Ordinal (UTF-16) order, as the in-memory store: database collations differ.
        list.Sort((a, b) => string.CompareOrdinal(a.Member, b.Member));
        return list;
    }

    public void Save(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(transitions);
        if (record.Version != checked(expectedVersion + 1))
        {
            throw new ArgumentException($"record.Version must be expectedVersion + 1 ({expectedVersion + 1}); it is {record.Version}.", nameof(record));
        }

        using var connection = database.Open();
        using var tx = database.BeginWrite(connection);
        if (Write(connection, tx, record, expectedVersion, transitions) is { } actual)
        {
            tx.Rollback();
            throw new MemberVersionConflictException(record.Group, record.Member, expectedVersion, actual);
        }

        tx.Commit();
    }

    /// <summary>Saves several members in one transaction (one commit); false where the version did not match (that save only is skipped).</summary>
    public bool[] SaveAll(IReadOnlyList<(MemberRecord Record, long ExpectedVersion, IReadOnlyList<MemberTransition> Transitions)> saves)
    {
        ArgumentNullException.ThrowIfNull(saves);
        foreach (var (record, expectedVersion, transitions) in saves)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(saves));
            ArgumentNullException.ThrowIfNull(transitions, nameof(saves));
            if (record.Version != checked(expectedVersion + 1))
            {
                throw new ArgumentException($"record.Version must be expectedVersion + 1 ({expectedVersion + 1}); it is {record.Version} for '{record.Member}'.", nameof(saves));
            }
        }

        var saved = new bool[saves.Count];
        using var connection = database.Open();
        using var tx = database.BeginWrite(connection);
        for (var i = 0; i < saves.Count; i++)
        {
            Sql.Execute(connection, tx, "SAVEPOINT cf_save");
            saved[i] = Write(connection, tx, saves[i].Record, saves[i].ExpectedVersion, saves[i].Transitions) is null;
            Sql.Execute(connection, tx, saved[i] ? "RELEASE SAVEPOINT cf_save" : "ROLLBACK TO SAVEPOINT cf_save");
        }

        tx.Commit();
        return saved;
    }

    /// <summary>Writes one save; null when written, else the version found (the caller rolls back).</summary>
    private static long? Write(DbConnection connection, DbTransaction tx, MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions)
    {
        var json = StoreJson.Write(record);
        var written = expectedVersion == 0
            ? Sql.Execute(
                connection,
                tx,
                "INSERT INTO cf_members (group_id, member_id, version, state, record) VALUES (@g, @m, @v, @s, @r) ON CONFLICT (group_id, member_id) DO NOTHING",
                ("g", record.Group), ("m", record.Member), ("v", record.Version), ("s", (long)record.State), ("r", json))
            : Sql.Execute(
                connection,
                tx,
                "UPDATE cf_members SET version = @v, state = @s, record = @r WHERE group_id = @g AND member_id = @m AND version = @e",
                ("g", record.Group), ("m", record.Member), ("v", record.Version), ("s", (long)record.State), ("r", json), ("e", expectedVersion));
        if (written != 1)
        {
            return Sql.ToInt64(Sql.Scalar(connection, tx, "SELECT version FROM cf_members WHERE group_id = @g AND member_id = @m", ("g", record.Group), ("m", record.Member)));
        }

        foreach (var t in transitions)
        {
            Sql.Execute(
                connection,
                tx,
                "INSERT INTO cf_member_transitions (group_id, member_id, from_state, to_state, trigger_id, at_ticks, at_offset) VALUES (@g, @m, @f, @t, @tr, @at, @o)",
                ("g", t.Group), ("m", t.Member), ("f", t.From is { } from ? (long)from : null), ("t", (long)t.To), ("tr", t.Trigger), ("at", t.At.UtcTicks), ("o", (long)t.At.Offset.TotalMinutes));
        }

        return null;
    }

    public IReadOnlyList<MemberTransition> AuditTrail(string group, string member)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(member);
        using var connection = database.Open();
        using var command = Sql.Command(
            connection,
            null,
            "SELECT group_id, member_id, from_state, to_state, trigger_id, at_ticks, at_offset FROM cf_member_transitions WHERE group_id = @g AND member_id = @m ORDER BY seq",
            ("g", group),
            ("m", member));
        using var reader = command.ExecuteReader();
        var list = new List<MemberTransition>();
        while (reader.Read())
        {
            var offset = TimeSpan.FromMinutes(Sql.GetLong(reader, 6));
            list.Add(new MemberTransition(
                reader.GetString(0),
                reader.GetString(1),
                Sql.GetNullableLong(reader, 2) is { } from ? (MemberState)from : null,
                (MemberState)Sql.GetLong(reader, 3),
                reader.GetString(4),
                new DateTimeOffset(Sql.GetLong(reader, 5), TimeSpan.Zero).ToOffset(offset)));
        }

        return list;
    }

    private static MemberRecord ReadRecord(long version, string json) =>
        StoreJson.Read<MemberRecord>(json, "member record") with { Version = version };
}
