using System.Collections.Concurrent;

namespace CommunityFunnel.Members;

/// <summary>
/// The default <see cref="IMemberStore"/>: thread-safe, in memory, compare-and-swap on the version, with the due-time
/// index (<see cref="IMemberDeadlineIndex"/>) updated under one lock with the swap.
/// </summary>
internal sealed class InMemoryMemberStore(InMemoryActionOutbox outbox) : IMemberStore, IMemberDeadlineIndex
{
    private readonly ConcurrentDictionary<MemberKey, Entry> _entries = new();
    private readonly object _writeGate = new();
    private readonly SortedSet<(long Due, string Group, string Member)> _due = new(MemberDueOrder.Instance);
    private readonly Dictionary<MemberKey, (string Owner, long Until)> _leases = [];

    /// <summary>A store with an outbox of its own.</summary>
    public InMemoryMemberStore()
        : this(new InMemoryActionOutbox())
    {
    }

    /// <summary>Its action outbox: the entries its saves appended.</summary>
    public InMemoryActionOutbox Outbox => outbox;

    public Task<MemberRecord?> FindAsync(string group, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_entries.TryGetValue(new MemberKey(group, member), out var entry) ? entry.Record : null);
    }

    public Task<IReadOnlyList<MemberRecord>> ListGroupAsync(string group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        cancellationToken.ThrowIfCancellationRequested();
        var list = new List<MemberRecord>();
        foreach (var (key, entry) in _entries)
        {
            if (string.Equals(key.Group, group, StringComparison.Ordinal))
            {
                list.Add(entry.Record);
            }
        }

        list.Sort((a, b) => string.CompareOrdinal(a.Member, b.Member));
        return Task.FromResult<IReadOnlyList<MemberRecord>>(list);
    }

    public Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Save(record, expectedVersion, transitions);
        return Task.CompletedTask;
    }

    public Task SaveAsync(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions, IReadOnlyList<OutboxEntry> outbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = outbox.Select(OutboxChecks.AsPending).ToList();
        Save(record, expectedVersion, transitions);
        Outbox.Append(pending); // after the compare-and-swap won, so a conflicting save appends nothing
        return Task.CompletedTask;
    }

    private void Save(MemberRecord record, long expectedVersion, IReadOnlyList<MemberTransition> transitions)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(transitions);
        if (record.Version != checked(expectedVersion + 1))
        {
            throw new ArgumentException($"record.Version must be expectedVersion + 1 ({expectedVersion + 1}); it is {record.Version}.", nameof(record));
        }

        var key = new MemberKey(record.Group, record.Member);
        lock (_writeGate)
        {
            _entries.TryGetValue(key, out var current);
            var found = current?.Record.Version ?? 0;
            if (found != expectedVersion)
            {
                throw new MemberVersionConflictException(record.Group, record.Member, expectedVersion, found);
            }

            _entries[key] = new Entry(record, current is null ? [.. transitions] : [.. current.Audit, .. transitions]);
            if (current?.Record.NextDeadline is { } before)
            {
                _due.Remove((before.UtcTicks, key.Group, key.Member));
            }

            if (record.NextDeadline is { } after)
            {
                _due.Add((after.UtcTicks, key.Group, key.Member));
            }

            _leases.Remove(key);
        }
    }

    public Task<IReadOnlyList<MemberRecord>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken)
    {
        OutboxChecks.Claim(owner, now, leaseUntil, max);
        cancellationToken.ThrowIfCancellationRequested();
        var claimed = new List<MemberRecord>();
        lock (_writeGate)
        {
            foreach (var (due, group, member) in _due)
            {
                if (due > now.UtcTicks || claimed.Count == max)
                {
                    break;
                }

                var key = new MemberKey(group, member);
                if (_leases.TryGetValue(key, out var lease) && lease.Until > now.UtcTicks)
                {
                    continue;
                }

                _leases[key] = (owner, leaseUntil.UtcTicks);
                claimed.Add(_entries[key].Record);
            }
        }

        return Task.FromResult<IReadOnlyList<MemberRecord>>(claimed);
    }

    public Task ReleaseAsync(string owner, IReadOnlyList<MemberRecord> claimed, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(claimed);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_writeGate)
        {
            foreach (var record in claimed)
            {
                var key = new MemberKey(record.Group, record.Member);
                if (_leases.TryGetValue(key, out var lease) && string.Equals(lease.Owner, owner, StringComparison.Ordinal))
                {
                    _leases.Remove(key);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<MemberTransition>> GetAuditTrailAsync(string group, string member, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<MemberTransition>>(_entries.TryGetValue(new MemberKey(group, member), out var entry) ? entry.Audit : []);
    }

    private sealed class Entry(MemberRecord record, MemberTransition[] audit)
    {
        public MemberRecord Record { get; } = record;

        public MemberTransition[] Audit { get; } = audit;
    }
}
