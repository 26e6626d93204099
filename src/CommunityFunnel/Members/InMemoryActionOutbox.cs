namespace CommunityFunnel.Members;

/// <summary>
/// The in-memory <see cref="IActionOutbox"/> (tests, demos): the entries the <see cref="InMemoryMemberStore"/> saves,
/// behind one lock. Claims and marks follow the contract's rules exactly, so the dispatcher behaves as on SQL; nothing
/// survives the process.
/// </summary>
internal sealed class InMemoryActionOutbox : IActionOutbox
{
    private readonly object _gate = new();
    private readonly List<Slot> _entries = [];
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);

    /// <summary>Appends new pending entries; an id already there is left as it is.</summary>
    /// <returns>How many were new.</returns>
    public int Append(IReadOnlyList<OutboxEntry> entries)
    {
        var pending = entries.Select(OutboxChecks.AsPending).ToList();
        var added = 0;
        lock (_gate)
        {
            foreach (var e in pending)
            {
                if (_byId.TryAdd(e.Id, _entries.Count))
                {
                    _entries.Add(new Slot { Entry = e });
                    added++;
                }
            }
        }

        return added;
    }

    public Task<int> EnqueueAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Append(entries));
    }

    public Task<IReadOnlyList<OutboxEntry>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        OutboxChecks.Claim(owner, now, leaseUntil, max);
        cancellationToken.ThrowIfCancellationRequested();
        var claimed = new List<OutboxEntry>();
        lock (_gate)
        {
            foreach (var slot in _entries)
            {
                if (claimed.Count == max)
                {
                    break;
                }

                if (slot.Entry.State == OutboxState.Pending && slot.Entry.NextAttemptAt <= now && (slot.Owner is null || slot.LeaseUntil <= now))
                {
                    slot.Owner = owner;
                    slot.LeaseUntil = leaseUntil;
                    claimed.Add(slot.Entry);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<OutboxEntry>>(claimed);
    }

    public Task<bool> MarkDeliveredAsync(string id, string owner, DateTimeOffset at, CancellationToken cancellationToken) =>
        Mark(id, owner, cancellationToken, e => e with { State = OutboxState.Delivered, CompletedAt = at });

    public Task<bool> MarkFailedAsync(string id, string owner, DateTimeOffset at, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Mark(id, owner, cancellationToken, e => OutboxChecks.Failed(e, at, error, retryAt));
    }

    public Task<OutboxEntry?> FindAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_byId.TryGetValue(id, out var i) ? _entries[i].Entry : null);
        }
    }

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxState state, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<OutboxEntry>>(_entries.Where(s => s.Entry.State == state).Take(max).Select(s => s.Entry).ToList());
        }
    }

    public Task<OutboxStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            long pending = 0, dead = 0;
            DateTimeOffset? oldest = null;
            foreach (var slot in _entries)
            {
                switch (slot.Entry.State)
                {
                    case OutboxState.Pending:
                        pending++;
                        oldest ??= slot.Entry.DecidedAt;
                        break;
                    case OutboxState.Dead:
                        dead++;
                        break;
                }
            }

            return Task.FromResult(new OutboxStatistics(pending, dead, oldest));
        }
    }

    private Task<bool> Mark(string id, string owner, CancellationToken cancellationToken, Func<OutboxEntry, OutboxEntry> change)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var i) || _entries[i] is not { Entry.State: OutboxState.Pending } slot || !string.Equals(slot.Owner, owner, StringComparison.Ordinal))
            {
                return Task.FromResult(false);
            }

            slot.Entry = change(slot.Entry);
            slot.Owner = null;
            slot.LeaseUntil = default;
            return Task.FromResult(true);
        }
    }

    private sealed class Slot
    {
        public required OutboxEntry Entry { get; set; }

        public string? Owner { get; set; }

        public DateTimeOffset LeaseUntil { get; set; }
    }
}
