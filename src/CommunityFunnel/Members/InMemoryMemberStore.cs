using System.Collections.Concurrent;

namespace CommunityFunnel.Members;

/// <summary>The default <see cref="IMemberStore"/>: thread-safe, in memory, compare-and-swap on the version.</summary>
internal sealed class InMemoryMemberStore(InMemoryActionOutbox outbox) : IMemberStore
{
    private readonly ConcurrentDictionary<MemberKey, Entry> _entries = new();

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
        if (expectedVersion == 0)
        {
            if (!_entries.TryAdd(key, new Entry(record, [.. transitions])))
            {
                throw new MemberVersionConflictException(record.Group, record.Member, 0, _entries[key].Record.Version);
            }

            return;
        }

        if (!_entries.TryGetValue(key, out var current) || current.Record.Version != expectedVersion)
        {
            throw new MemberVersionConflictException(record.Group, record.Member, expectedVersion, current?.Record.Version ?? 0);
        }

        var next = new Entry(record, [.. current.Audit, .. transitions]);

        // Entry compares by reference: this succeeds only if nobody replaced 'current' since it was read.
        if (!_entries.TryUpdate(key, next, current))
        {
            throw new MemberVersionConflictException(record.Group, record.Member, expectedVersion, _entries[key].Record.Version);
        }
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
