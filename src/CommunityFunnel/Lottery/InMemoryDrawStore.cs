namespace CommunityFunnel.Lottery;

/// <summary>
/// The default draw store: in memory, thread-safe. One lock per draw makes "check the state, then write" atomic,
/// as a SQL store would with a transaction.
/// </summary>
internal sealed class InMemoryDrawStore : IDrawStore, IDrawDueIndex
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Slot> _draws = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // In memory the "index" is a look at every draw: a process holds few.
            return Task.FromResult<IReadOnlyList<string>>(DrawDueOrder.Select(_draws.Values.Select(s => s.Record), now, max));
        }
    }

    public Task<bool> TryCreateAsync(DrawRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            return Task.FromResult(_draws.TryAdd(record.DrawId, new Slot(record)));
        }
    }

    public Task<DrawRecord?> FindAsync(string drawId, CancellationToken cancellationToken)
    {
        var slot = Find(drawId);
        if (slot is null)
        {
            return Task.FromResult<DrawRecord?>(null);
        }

        lock (slot)
        {
            return Task.FromResult<DrawRecord?>(slot.Record);
        }
    }

    public Task<bool> TryUpdateAsync(DrawRecord record, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var slot = Find(record.DrawId);
        if (slot is null)
        {
            return Task.FromResult(false);
        }

        lock (slot)
        {
            if (slot.Record.Version != expectedVersion || record.Version != expectedVersion + 1)
            {
                return Task.FromResult(false);
            }

            slot.Record = record;
            return Task.FromResult(true);
        }
    }

    public Task<EntryChangeResult> ApplyEntryChangeAsync(string drawId, DrawEntryChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var slot = Find(drawId);
        if (slot is null)
        {
            return Task.FromResult(new EntryChangeResult(EntryChangeOutcome.DrawNotFound, 0, 0));
        }

        lock (slot)
        {
            return Task.FromResult(Apply(slot, change));
        }
    }

    public Task<IReadOnlyList<DrawEntry>> GetEntriesAsync(string drawId, CancellationToken cancellationToken)
    {
        var slot = Find(drawId);
        if (slot is null)
        {
            return Task.FromResult<IReadOnlyList<DrawEntry>>([]);
        }

        lock (slot)
        {
            return Task.FromResult<IReadOnlyList<DrawEntry>>(slot.Entries.Select(e => new DrawEntry(e.Key, e.Value)).ToList());
        }
    }

    private static EntryChangeResult Apply(Slot slot, DrawEntryChange change)
    {
        var entries = slot.Entries;
        EntryChangeResult Result(EntryChangeOutcome outcome) =>
            new(outcome, entries.Count, entries.TryGetValue(change.EntryId, out var w) ? w : 0);

        if (slot.Record.State != DrawState.Open)
        {
            return Result(EntryChangeOutcome.DrawNotOpen);
        }

        switch (change.Kind)
        {
            case DrawEntryChangeKind.Add:
                if (entries.ContainsKey(change.EntryId))
                {
                    return Result(EntryChangeOutcome.AlreadyEntered);
                }

                if (change.Tickets > change.MaxTicketsPerEntry)
                {
                    return Result(EntryChangeOutcome.TicketLimit);
                }

                if (entries.Count >= change.MaxEntries || slot.TotalWeight + change.Tickets > change.MaxTotalWeight)
                {
                    return Result(EntryChangeOutcome.DrawFull);
                }

                entries.Add(change.EntryId, change.Tickets);
                slot.TotalWeight += change.Tickets;
                return Result(EntryChangeOutcome.Applied);

            case DrawEntryChangeKind.AddTickets:
                if (!entries.TryGetValue(change.EntryId, out var current))
                {
                    return Result(EntryChangeOutcome.NotEntered);
                }

                if (current + change.Tickets > change.MaxTicketsPerEntry)
                {
                    return Result(EntryChangeOutcome.TicketLimit);
                }

                if (slot.TotalWeight + change.Tickets > change.MaxTotalWeight)
                {
                    return Result(EntryChangeOutcome.DrawFull);
                }

                entries[change.EntryId] = current + change.Tickets;
                slot.TotalWeight += change.Tickets;
                return Result(EntryChangeOutcome.Applied);

            case DrawEntryChangeKind.SetTickets:
                var held = entries.TryGetValue(change.EntryId, out var h) ? h : 0;
                if (held != change.ExpectedTickets)
                {
                    return Result(EntryChangeOutcome.Changed);
                }

                if (change.Tickets == held)
                {
                    return Result(EntryChangeOutcome.Applied);
                }

                if (change.Tickets == 0)
                {
                    entries.Remove(change.EntryId);
                    slot.TotalWeight -= held;
                    return Result(EntryChangeOutcome.Applied);
                }

                if (change.Tickets > change.MaxTicketsPerEntry)
                {
                    return Result(EntryChangeOutcome.TicketLimit);
                }

                if ((held == 0 && entries.Count >= change.MaxEntries) || slot.TotalWeight - held + change.Tickets > change.MaxTotalWeight)
                {
                    return Result(EntryChangeOutcome.DrawFull);
                }

                entries[change.EntryId] = change.Tickets;
                slot.TotalWeight += change.Tickets - held;
                return Result(EntryChangeOutcome.Applied);

            case DrawEntryChangeKind.Withdraw:
                if (!entries.Remove(change.EntryId, out var removed))
                {
                    return Result(EntryChangeOutcome.NotEntered);
                }

                slot.TotalWeight -= removed;
                return Result(EntryChangeOutcome.Applied);

            default:
                throw new ArgumentOutOfRangeException(nameof(change), change.Kind, "unknown entry change kind");
        }
    }

    private Slot? Find(string drawId)
    {
        lock (_gate)
        {
            return _draws.TryGetValue(drawId, out var slot) ? slot : null;
        }
    }

    private sealed class Slot(DrawRecord record)
    {
        public DrawRecord Record { get; set; } = record;

        public Dictionary<string, long> Entries { get; } = new(StringComparer.Ordinal);

        public long TotalWeight { get; set; }
    }
}
