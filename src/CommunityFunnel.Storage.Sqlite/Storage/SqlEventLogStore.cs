using System.Runtime.CompilerServices;
using System.Text;
using CommunityFunnel.Events;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IEventLogStore"/> on SQL (table <c>cf_events</c>): each event as its event-log/v1 line. The unique key
/// on <c>event_id</c> makes the append and the duplicate check one statement (<c>INSERT ... ON CONFLICT DO
/// NOTHING</c>), so of two instances appending the same id at once exactly one row is written; reads go by the
/// <c>(at_ticks, seq)</c> index. An event appended with its append time also gets a row in
/// <c>cf_events_unapplied</c>, in the same transaction, deleted when it is marked applied.
/// </summary>
internal sealed class SqlEventLogStore(SqlDatabase database) : IEventLogStore
{
    public Task<bool> TryAppendAsync(CommunityEvent communityEvent, CancellationToken cancellationToken) =>
        AppendAsync(communityEvent, null, cancellationToken);

    public Task<bool> TryAppendAsync(CommunityEvent communityEvent, DateTimeOffset appendedAt, CancellationToken cancellationToken) =>
        AppendAsync(communityEvent, appendedAt, cancellationToken);

    public async Task MarkAppliedAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await Sql.ExecuteAsync(connection, null, "DELETE FROM cf_events_unapplied WHERE event_id = @i", cancellationToken, ("i", eventId)).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<CommunityEvent>> ListUnappliedAsync(DateTimeOffset appendedBefore, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await Sql.QueryAsync(
                connection,
                null,
                "SELECT e.line FROM cf_events_unapplied u JOIN cf_events e ON e.event_id = u.event_id WHERE u.appended_ticks < @b ORDER BY e.at_ticks, e.seq LIMIT @n",
                r => Parse(r.GetString(0)),
                cancellationToken,
                ("b", appendedBefore.UtcTicks),
                ("n", (long)max)).ConfigureAwait(false);
        }
    }

    private async Task<bool> AppendAsync(CommunityEvent communityEvent, DateTimeOffset? appendedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        var line = Format(communityEvent);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var rows = await Sql.ExecuteAsync(
                connection,
                tx,
                "INSERT INTO cf_events (event_id, group_id, at_ticks, line) VALUES (@i, @g, @t, @l) ON CONFLICT (event_id) DO NOTHING",
                cancellationToken,
                ("i", communityEvent.Id),
                ("g", communityEvent.Group),
                ("t", communityEvent.At.UtcTicks),
                ("l", line)).ConfigureAwait(false);
            if (rows == 1 && appendedAt is { } at)
            {
                await Sql.ExecuteAsync(
                    connection,
                    tx,
                    "INSERT INTO cf_events_unapplied (event_id, appended_ticks) VALUES (@i, @a)",
                    cancellationToken,
                    ("i", communityEvent.Id),
                    ("a", at.UtcTicks)).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return rows == 1;
        }
    }

    public async IAsyncEnumerable<CommunityEvent> ReadAsync(
        DateTimeOffset from,
        DateTimeOffset to,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Sql.Command(
                connection,
                null,
                "SELECT line FROM cf_events WHERE at_ticks >= @f AND at_ticks < @t ORDER BY at_ticks, seq",
                ("f", from.UtcTicks),
                ("t", to.UtcTicks));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return Parse(reader.GetString(0));
                }
            }
        }
    }

    public async Task<IReadOnlyList<string>> ListGroupsAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var groups = await Sql.QueryAsync(connection, null, "SELECT DISTINCT group_id FROM cf_events", r => r.GetString(0), cancellationToken).ConfigureAwait(false);
            groups.Sort(StringComparer.Ordinal);
            return groups;
        }
    }

    private static string Format(CommunityEvent e)
    {
        using var buffer = new MemoryStream();
        using (var writer = new EventLogWriter(buffer, leaveOpen: true))
        {
            writer.Write(e);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimEnd('\n');
    }

    private static CommunityEvent Parse(string line)
    {
        using var buffer = new MemoryStream(Encoding.UTF8.GetBytes(line));
        return new EventLogReader().Read(buffer).Single();
    }
}
