using System.Data.Common;
using System.Runtime.CompilerServices;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IActivationStore"/> on SQL (migration 11, tables <c>cf_activation_*</c>): the rows of
/// <see cref="ActivationProjectionRules"/>, one event per write transaction. The event id's unique key makes an
/// apply idempotent across instances; the pair's row, locked (<c>FOR UPDATE</c> on PostgreSQL, SQLite's single
/// writer), makes a join and an activity of the same member that arrive at once see each other. A report reads only
/// the join rows before its <c>asOf</c> (and in its cohort) by the <c>join_ticks</c> indexes, the pairs' first joins
/// by a partial one.
/// </summary>
internal sealed class SqlActivationStore(SqlDatabase database, ActivationProjectionRules rules) : IActivationStore
{
    private volatile bool _settingsChecked;

    public async Task<bool> ApplyAsync(CommunityEvent communityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await EnsureSettingsAsync(connection, cancellationToken).ConfigureAwait(false);
            using var tx = database.BeginWrite(connection);
            var applied = await rules.ApplyAsync(new Rows(database, connection, tx), communityEvent, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return applied;
        }
    }

    public async Task<ActivationReport> GetReportAsync(ActivationQuery query, CancellationToken cancellationToken)
    {
        rules.EnsureMatches(query);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await EnsureSettingsAsync(connection, cancellationToken).ConfigureAwait(false);
            var duplicates = Sql.ToInt64(await Sql.ScalarAsync(connection, null, "SELECT duplicates FROM cf_activation_settings WHERE id = 1", cancellationToken).ConfigureAwait(false));
            return await rules.ReportAsync(query, ReadJoinsAsync(connection, query, cancellationToken), duplicates, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<FunnelReport> GetFunnelReportAsync(FunnelQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var activation = query.ToActivationQuery();
        rules.EnsureMatches(activation);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await EnsureSettingsAsync(connection, cancellationToken).ConfigureAwait(false);
            var duplicates = Sql.ToInt64(await Sql.ScalarAsync(connection, null, "SELECT duplicates FROM cf_activation_settings WHERE id = 1", cancellationToken).ConfigureAwait(false));
            var (from, before, _) = ActivationProjectionRules.Scope(activation);
            // The views are few next to the joins and read first, so that the join rows can stream on the same connection.
            var views = await Sql.QueryAsync(
                connection,
                null,
                "SELECT DISTINCT group_id, visitor_id, channel FROM cf_activation_views WHERE at_ticks >= @f AND at_ticks < @b",
                r => new InviteView(r.GetString(0), r.GetString(1), r.GetString(2)),
                cancellationToken,
                ("f", from),
                ("b", before)).ConfigureAwait(false);
            return await rules.FunnelAsync(query, ReadJoinsAsync(connection, activation, cancellationToken), Stream(views), duplicates, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async IAsyncEnumerable<T> Stream<T>(List<T> items)
    {
        foreach (var item in items)
        {
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<ReportedJoin> ReadJoinsAsync(DbConnection connection, ActivationQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (from, before, firstOnly) = ActivationProjectionRules.Scope(query);
        // The literal "is_first = 1" matches the partial index of the pairs' first joins.
        var sql = "SELECT join_ticks, group_id, channel, excluded, attribution, first_activity_ticks, first_order_ticks FROM cf_activation_joins WHERE "
            + (firstOnly ? "is_first = 1 AND " : string.Empty)
            + "join_ticks >= @f AND join_ticks < @b";
        var command = Sql.Command(connection, null, sql, ("f", from), ("b", before));
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return new ReportedJoin(
                        Sql.GetLong(reader, 0),
                        reader.GetString(1),
                        reader.GetString(2),
                        Sql.GetLong(reader, 3) != 0,
                        (ChannelAttribution)Sql.GetLong(reader, 4),
                        Sql.GetNullableLong(reader, 5),
                        Sql.GetNullableLong(reader, 6));
                }
            }
        }
    }

    /// <summary>Keeps the rules' settings beside the rows on first use, and refuses rows kept for other settings.</summary>
    private async Task EnsureSettingsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (_settingsChecked)
        {
            return;
        }

        await Sql.ExecuteAsync(
            connection,
            null,
            "INSERT INTO cf_activation_settings (id, settings, duplicates) VALUES (1, @s, 0) ON CONFLICT (id) DO NOTHING",
            cancellationToken,
            ("s", rules.Settings)).ConfigureAwait(false);
        var kept = (string?)await Sql.ScalarAsync(connection, null, "SELECT settings FROM cf_activation_settings WHERE id = 1", cancellationToken).ConfigureAwait(false);
        rules.EnsureSameSettings(kept ?? string.Empty);
        _settingsChecked = true;
    }

    /// <summary>The row operations, in one write transaction.</summary>
    private sealed class Rows(SqlDatabase database, DbConnection connection, DbTransaction tx) : IActivationRows
    {
        public async ValueTask<bool> TryRecordEventAsync(string eventId, CancellationToken cancellationToken) =>
            await Sql.ExecuteAsync(connection, tx, "INSERT INTO cf_activation_events (event_id) VALUES (@i) ON CONFLICT (event_id) DO NOTHING", cancellationToken, ("i", eventId)).ConfigureAwait(false) == 1;

        public async ValueTask CountDuplicateAsync(CancellationToken cancellationToken) =>
            await Sql.ExecuteAsync(connection, tx, "UPDATE cf_activation_settings SET duplicates = duplicates + 1 WHERE id = 1", cancellationToken).ConfigureAwait(false);

        public async ValueTask<FirstJoin?> LockPairAsync(string group, string member, CancellationToken cancellationToken)
        {
            await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_activation_pairs (group_id, member_id) VALUES (@g, @m) ON CONFLICT (group_id, member_id) DO NOTHING",
                cancellationToken,
                ("g", group),
                ("m", member)).ConfigureAwait(false);
            var rows = await Sql.QueryAsync(
                connection,
                tx,
                $"SELECT first_join_id, first_join_ticks FROM cf_activation_pairs WHERE group_id = @g AND member_id = @m{database.ForUpdate}",
                r => r.IsDBNull(0) ? (FirstJoin?)null : new FirstJoin(r.GetString(0), Sql.GetLong(r, 1)),
                cancellationToken,
                ("g", group),
                ("m", member)).ConfigureAwait(false);
            return rows[0];
        }

        public async ValueTask AddActivityAsync(string group, string member, long at, CancellationToken cancellationToken) =>
            await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_activation_activity (group_id, member_id, at_ticks) VALUES (@g, @m, @a) ON CONFLICT (group_id, member_id, at_ticks) DO NOTHING",
                cancellationToken,
                ("g", group),
                ("m", member),
                ("a", at)).ConfigureAwait(false);

        public async ValueTask<long?> FirstActivityAsync(string group, string member, long fromInclusive, long toExclusive, CancellationToken cancellationToken)
        {
            var value = await Sql.ScalarAsync(
                connection,
                tx,
                "SELECT MIN(at_ticks) FROM cf_activation_activity WHERE group_id = @g AND member_id = @m AND at_ticks >= @f AND at_ticks < @t",
                cancellationToken,
                ("g", group),
                ("m", member),
                ("f", fromInclusive),
                ("t", toExclusive)).ConfigureAwait(false);
            return value is null ? null : Sql.ToInt64(value);
        }

        public async ValueTask LowerFirstActivityAsync(string group, string member, long joinFromInclusive, long joinToInclusive, long at, CancellationToken cancellationToken) =>
            await Sql.ExecuteAsync(
                connection,
                tx,
                "UPDATE cf_activation_joins SET first_activity_ticks = @a WHERE group_id = @g AND member_id = @m AND join_ticks >= @f AND join_ticks <= @t"
                + " AND (first_activity_ticks IS NULL OR first_activity_ticks > @a)",
                cancellationToken,
                ("g", group),
                ("m", member),
                ("f", joinFromInclusive),
                ("t", joinToInclusive),
                ("a", at)).ConfigureAwait(false);

        public async ValueTask AddOrderAsync(string group, string member, long at, CancellationToken cancellationToken) =>
            await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_activation_orders (group_id, member_id, at_ticks) VALUES (@g, @m, @a) ON CONFLICT (group_id, member_id, at_ticks) DO NOTHING",
                cancellationToken,
                ("g", group),
                ("m", member),
                ("a", at)).ConfigureAwait(false);

        public async ValueTask<long?> FirstOrderAsync(string group, string member, long fromInclusive, CancellationToken cancellationToken)
        {
            var value = await Sql.ScalarAsync(
                connection,
                tx,
                "SELECT MIN(at_ticks) FROM cf_activation_orders WHERE group_id = @g AND member_id = @m AND at_ticks >= @f",
                cancellationToken,
                ("g", group),
                ("m", member),
                ("f", fromInclusive)).ConfigureAwait(false);
            return value is null ? null : Sql.ToInt64(value);
        }

        public async ValueTask LowerFirstOrderAsync(string group, string member, long at, CancellationToken cancellationToken) =>
            await Sql.ExecuteAsync(
                connection,
                tx,
                "UPDATE cf_activation_joins SET first_order_ticks = @a WHERE group_id = @g AND member_id = @m AND join_ticks <= @a"
                + " AND (first_order_ticks IS NULL OR first_order_ticks > @a)",
                cancellationToken,
                ("g", group),
                ("m", member),
                ("a", at)).ConfigureAwait(false);

        public async ValueTask AddInviteViewAsync(string group, string visitor, string channel, long at, CancellationToken cancellationToken) =>
            await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_activation_views (at_ticks, group_id, visitor_id, channel) VALUES (@a, @g, @v, @c) ON CONFLICT (at_ticks, group_id, visitor_id, channel) DO NOTHING",
                cancellationToken,
                ("a", at),
                ("g", group),
                ("v", visitor),
                ("c", channel)).ConfigureAwait(false);

        public async ValueTask AddJoinAsync(ProjectedJoin join, CancellationToken cancellationToken) =>
            await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_activation_joins (join_id, group_id, member_id, join_ticks, channel, excluded, attribution, first_activity_ticks, first_order_ticks, is_first)"
                + " VALUES (@i, @g, @m, @t, @c, @x, @r, @a, @o, @f)",
                cancellationToken,
                ("i", join.Id),
                ("g", join.Group),
                ("m", join.Member),
                ("t", join.At),
                ("c", join.Channel),
                ("x", join.Excluded ? 1L : 0L),
                ("r", (long)join.Attribution),
                ("a", join.FirstActivity),
                ("o", join.FirstOrder),
                ("f", join.IsFirst ? 1L : 0L)).ConfigureAwait(false);

        public async ValueTask SetFirstJoinAsync(string group, string member, string? previousId, string newId, long at, CancellationToken cancellationToken)
        {
            await Sql.ExecuteAsync(
                connection,
                tx,
                "UPDATE cf_activation_pairs SET first_join_id = @i, first_join_ticks = @t WHERE group_id = @g AND member_id = @m",
                cancellationToken,
                ("i", newId),
                ("t", at),
                ("g", group),
                ("m", member)).ConfigureAwait(false);
            if (previousId is not null)
            {
                await Sql.ExecuteAsync(connection, tx, "UPDATE cf_activation_joins SET is_first = 0 WHERE join_id = @i", cancellationToken, ("i", previousId)).ConfigureAwait(false);
            }

            await Sql.ExecuteAsync(connection, tx, "UPDATE cf_activation_joins SET is_first = 1 WHERE join_id = @i", cancellationToken, ("i", newId)).ConfigureAwait(false);
        }
    }
}
