using System.Data.Common;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Storage;

/// <summary>
/// <see cref="IDrawStore"/> on SQL. Record writes are conditional on the version; an entry change locks the draw's
/// row, checks it is open and applies the change in one transaction. The database itself refuses entry changes
/// unless the draw is open (a trigger), a state that moves backwards, a published entries root that changes, and
/// a second or changed result (one row per draw in <c>cf_draw_results</c>, never updated), and a drand round named at
/// creation that changes.
/// </summary>
internal sealed class SqlDrawStore(SqlDatabase database) : IDrawStore, IDrawDueIndex
{
    private const string Columns =
        "draw_id, version, state, definition, commitment, created_ticks, closed_ticks, entry_count, total_weight, entries_root, public_entropy, entropy_ticks, proof, drand_chain, drand_round, drand_signature";

    public async Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var due = await Sql.QueryAsync(
                connection,
                null,
                $"SELECT draw_id, {DrawDueOrder.OpenPastClose}, closes_ticks FROM cf_draws WHERE state = 1 AND closes_ticks <= @now "
                + $"UNION ALL SELECT draw_id, {DrawDueOrder.ClosedNotDrawn}, COALESCE(closed_ticks, created_ticks) FROM cf_draws WHERE state IN (2, 3) "
                + "ORDER BY 2, 3 LIMIT @n",
                r => (Kind: (int)Sql.GetLong(r, 1), At: Sql.GetLong(r, 2), Id: r.GetString(0)),
                cancellationToken,
                ("now", now.UtcTicks),
                ("n", (long)max)).ConfigureAwait(false);
            due.Sort(DrawDueOrder.Instance);
            return due.Select(d => d.Id).ToList();
        }
    }

    public async Task<bool> TryCreateAsync(DrawRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var inserted = await Sql.ExecuteAsync(
                connection,
                tx,
                $"INSERT INTO cf_draws ({Columns}, closes_ticks) VALUES (@id, @v, @s, @d, @c, @cr, @cl, @n, @w, @root, @pe, @pet, @p, @dc, @dr, @ds, @closes) ON CONFLICT (draw_id) DO NOTHING",
                cancellationToken,
                [.. Values(record), ("closes", record.Definition.Schedule.ClosesAt?.UtcTicks)]).ConfigureAwait(false);
            if (inserted == 1)
            {
                await RecordResultAsync(connection, tx, record, cancellationToken).ConfigureAwait(false);
            }

            tx.Commit();
            return inserted == 1;
        }
    }

    public async Task<DrawRecord?> FindAsync(string drawId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(connection, null, $"SELECT {Columns} FROM cf_draws WHERE draw_id = @id", ("id", drawId));
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadRecord(reader) : null;
                }
            }
        }
    }

    public async Task<bool> TryUpdateAsync(DrawRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Version != expectedVersion + 1)
        {
            return false;
        }

        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var updated = await Sql.ExecuteAsync(
                connection,
                tx,
                "UPDATE cf_draws SET version = @v, state = @s, definition = @d, commitment = @c, created_ticks = @cr, closed_ticks = @cl, entry_count = @n, " +
                "total_weight = @w, entries_root = @root, public_entropy = @pe, entropy_ticks = @pet, proof = @p, " +
                "drand_chain = @dc, drand_round = @dr, drand_signature = @ds WHERE draw_id = @id AND version = @e",
                cancellationToken,
                [.. Values(record), ("e", expectedVersion)]).ConfigureAwait(false);
            if (updated != 1)
            {
                tx.Rollback();
                return false;
            }

            await RecordResultAsync(connection, tx, record, cancellationToken).ConfigureAwait(false);
            tx.Commit();
            return true;
        }
    }

    public async Task<EntryChangeResult> ApplyEntryChangeAsync(string drawId, DrawEntryChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        ArgumentNullException.ThrowIfNull(change);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var tx = database.BeginWrite(connection);
            var result = await ApplyAsync(connection, tx, drawId, change, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == EntryChangeOutcome.Applied)
            {
                tx.Commit();
            }
            else
            {
                tx.Rollback();
            }

            return result;
        }
    }

    public async Task<IReadOnlyList<DrawEntry>> GetEntriesAsync(string drawId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(connection, null, "SELECT entry_id, tickets FROM cf_draw_entries WHERE draw_id = @id", ("id", drawId));
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var list = new List<DrawEntry>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        list.Add(new DrawEntry(reader.GetString(0), Sql.GetLong(reader, 1)));
                    }

                    return list;
                }
            }
        }
    }

    private async Task<EntryChangeResult> ApplyAsync(DbConnection connection, DbTransaction tx, string drawId, DrawEntryChange change, CancellationToken cancellationToken)
    {
        long state, count, total;
        using (var command = Sql.Command(connection, tx, $"SELECT state, live_entries, live_weight FROM cf_draws WHERE draw_id = @id{database.ForUpdate}", ("id", drawId)))
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new EntryChangeResult(EntryChangeOutcome.DrawNotFound, 0, 0);
            }

            (state, count, total) = (Sql.GetLong(reader, 0), Sql.GetLong(reader, 1), Sql.GetLong(reader, 2));
        }

        var current = Sql.Scalar(connection, tx, "SELECT tickets FROM cf_draw_entries WHERE draw_id = @id AND entry_id = @e", ("id", drawId), ("e", change.EntryId)) is { } t
            ? Sql.ToInt64(t)
            : (long?)null;
        EntryChangeResult Result(EntryChangeOutcome outcome, long entries, long? tickets) => new(outcome, checked((int)entries), tickets ?? 0);

        if (state != (long)DrawState.Open)
        {
            return Result(EntryChangeOutcome.DrawNotOpen, count, current);
        }

        switch (change.Kind)
        {
            case DrawEntryChangeKind.Add:
                if (current is not null)
                {
                    return Result(EntryChangeOutcome.AlreadyEntered, count, current);
                }

                if (change.Tickets > change.MaxTicketsPerEntry)
                {
                    return Result(EntryChangeOutcome.TicketLimit, count, current);
                }

                if (count >= change.MaxEntries || total + change.Tickets > change.MaxTotalWeight)
                {
                    return Result(EntryChangeOutcome.DrawFull, count, current);
                }

                await Sql.ExecuteAsync(connection, tx, "INSERT INTO cf_draw_entries (draw_id, entry_id, tickets) VALUES (@id, @e, @t)", cancellationToken, ("id", drawId), ("e", change.EntryId), ("t", change.Tickets)).ConfigureAwait(false);
                await UpdateLiveAsync(connection, tx, drawId, 1, change.Tickets, cancellationToken).ConfigureAwait(false);
                return Result(EntryChangeOutcome.Applied, count + 1, change.Tickets);

            case DrawEntryChangeKind.AddTickets:
                if (current is not { } held)
                {
                    return Result(EntryChangeOutcome.NotEntered, count, current);
                }

                if (held + change.Tickets > change.MaxTicketsPerEntry)
                {
                    return Result(EntryChangeOutcome.TicketLimit, count, current);
                }

                if (total + change.Tickets > change.MaxTotalWeight)
                {
                    return Result(EntryChangeOutcome.DrawFull, count, current);
                }

                await Sql.ExecuteAsync(connection, tx, "UPDATE cf_draw_entries SET tickets = tickets + @t WHERE draw_id = @id AND entry_id = @e", cancellationToken, ("id", drawId), ("e", change.EntryId), ("t", change.Tickets)).ConfigureAwait(false);
                await UpdateLiveAsync(connection, tx, drawId, 0, change.Tickets, cancellationToken).ConfigureAwait(false);
                return Result(EntryChangeOutcome.Applied, count, held + change.Tickets);

            case DrawEntryChangeKind.SetTickets:
                var had = current ?? 0;
                if (had != change.ExpectedTickets)
                {
                    return Result(EntryChangeOutcome.Changed, count, current);
                }

                if (change.Tickets == had)
                {
                    return Result(EntryChangeOutcome.Applied, count, current);
                }

                if (change.Tickets == 0)
                {
                    await Sql.ExecuteAsync(connection, tx, "DELETE FROM cf_draw_entries WHERE draw_id = @id AND entry_id = @e", cancellationToken, ("id", drawId), ("e", change.EntryId)).ConfigureAwait(false);
                    await UpdateLiveAsync(connection, tx, drawId, -1, -had, cancellationToken).ConfigureAwait(false);
                    return Result(EntryChangeOutcome.Applied, count - 1, 0);
                }

                if (change.Tickets > change.MaxTicketsPerEntry)
                {
                    return Result(EntryChangeOutcome.TicketLimit, count, current);
                }

                if ((current is null && count >= change.MaxEntries) || total - had + change.Tickets > change.MaxTotalWeight)
                {
                    return Result(EntryChangeOutcome.DrawFull, count, current);
                }

                await Sql.ExecuteAsync(
                    connection,
                    tx,
                    current is null
                        ? "INSERT INTO cf_draw_entries (draw_id, entry_id, tickets) VALUES (@id, @e, @t)"
                        : "UPDATE cf_draw_entries SET tickets = @t WHERE draw_id = @id AND entry_id = @e",
                    cancellationToken,
                    ("id", drawId),
                    ("e", change.EntryId),
                    ("t", change.Tickets)).ConfigureAwait(false);
                await UpdateLiveAsync(connection, tx, drawId, current is null ? 1 : 0, change.Tickets - had, cancellationToken).ConfigureAwait(false);
                return Result(EntryChangeOutcome.Applied, current is null ? count + 1 : count, change.Tickets);

            case DrawEntryChangeKind.Withdraw:
                if (current is not { } removed)
                {
                    return Result(EntryChangeOutcome.NotEntered, count, current);
                }

                await Sql.ExecuteAsync(connection, tx, "DELETE FROM cf_draw_entries WHERE draw_id = @id AND entry_id = @e", cancellationToken, ("id", drawId), ("e", change.EntryId)).ConfigureAwait(false);
                await UpdateLiveAsync(connection, tx, drawId, -1, -removed, cancellationToken).ConfigureAwait(false);
                return Result(EntryChangeOutcome.Applied, count - 1, 0);

            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "unknown entry change kind");
        }
    }

    private static Task<int> UpdateLiveAsync(DbConnection connection, DbTransaction tx, string drawId, long entries, long weight, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(
            connection,
            tx,
            "UPDATE cf_draws SET live_entries = live_entries + @n, live_weight = live_weight + @w WHERE draw_id = @id",
            cancellationToken,
            ("id", drawId),
            ("n", entries),
            ("w", weight));

    /// <summary>
    /// The first drawn record fixes the draw's result (seed, entropy, entries root, original winners). Later
    /// records (forfeits add replacements) must carry the same result: the row is never updated (a trigger).
    /// </summary>
    private static async Task RecordResultAsync(DbConnection connection, DbTransaction tx, DrawRecord record, CancellationToken cancellationToken)
    {
        if (record.Proof is not { } proof)
        {
            return;
        }

        var winners = StoreJson.Write(proof.Winners.Where(w => w.Replaces is null).ToList());
        var inserted = await Sql.ExecuteAsync(
            connection,
            tx,
            "INSERT INTO cf_draw_results (draw_id, server_seed, public_entropy, entries_root, winners) VALUES (@id, @s, @pe, @root, @w) ON CONFLICT (draw_id) DO NOTHING",
            cancellationToken,
            ("id", record.DrawId),
            ("s", proof.ServerSeed),
            ("pe", proof.PublicEntropy),
            ("root", proof.EntriesRoot),
            ("w", winners)).ConfigureAwait(false);
        if (inserted == 1)
        {
            return;
        }

        var same = Sql.ToInt64(Sql.Scalar(
            connection,
            tx,
            "SELECT COUNT(*) FROM cf_draw_results WHERE draw_id = @id AND server_seed = @s AND public_entropy = @pe AND entries_root = @root AND winners = @w",
            ("id", record.DrawId),
            ("s", proof.ServerSeed),
            ("pe", proof.PublicEntropy),
            ("root", proof.EntriesRoot),
            ("w", winners)));
        if (same != 1)
        {
            throw new InvalidOperationException($"Draw '{record.DrawId}' already has a result; a draw has exactly one result and it is never replaced.");
        }
    }

    private static (string Name, object? Value)[] Values(DrawRecord r) =>
    [
        ("id", r.DrawId),
        ("v", r.Version),
        ("s", (long)r.State),
        ("d", StoreJson.WriteDefinition(r.Definition)),
        ("c", r.Commitment),
        ("cr", r.CreatedAt.UtcTicks),
        ("cl", Sql.Ticks(r.ClosedAt)),
        ("n", (long)r.EntryCount),
        ("w", r.TotalWeight),
        ("root", r.EntriesRoot),
        ("pe", r.PublicEntropy),
        ("pet", Sql.Ticks(r.EntropySuppliedAt)),
        ("p", r.Proof is null ? null : StoreJson.Write(r.Proof)),
        ("dc", r.DrandRound?.ChainHash),
        ("dr", r.DrandRound?.Round),
        ("ds", r.DrandSignature),
    ];

    private static DrawRecord ReadRecord(DbDataReader r) => new()
    {
        Definition = StoreJson.ReadDefinition(r.GetString(3)),
        Version = Sql.GetLong(r, 1),
        State = (DrawState)Sql.GetLong(r, 2),
        Commitment = r.GetString(4),
        CreatedAt = Sql.Instant(Sql.GetLong(r, 5)),
        ClosedAt = Sql.GetNullableInstant(r, 6),
        EntryCount = checked((int)Sql.GetLong(r, 7)),
        TotalWeight = Sql.GetLong(r, 8),
        EntriesRoot = Sql.GetNullableString(r, 9),
        PublicEntropy = Sql.GetNullableString(r, 10),
        EntropySuppliedAt = Sql.GetNullableInstant(r, 11),
        Proof = Sql.GetNullableString(r, 12) is { } proof ? StoreJson.Read<DrawProof>(proof, "draw proof") : null,
        DrandRound = Sql.GetNullableString(r, 13) is { } chain ? new DrandRound(chain, Sql.GetLong(r, 14)) : null, // null in rows from before migration 3
        DrandSignature = Sql.GetNullableString(r, 15),
    };
}
