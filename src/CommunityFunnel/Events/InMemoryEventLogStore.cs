using System.Runtime.CompilerServices;

namespace CommunityFunnel.Events;

/// <summary>
/// An <see cref="IEventLogStore"/> in this process's memory, for tests, demos and single-process replays: everything
/// is lost when the process ends. Thread-safe; the id check and the append are one step under one lock.
/// </summary>
public sealed class InMemoryEventLogStore : IEventLogStore
{
    private readonly object _gate = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _groups = new(StringComparer.Ordinal);
    private readonly List<(long Ticks, long Sequence, CommunityEvent Event)> _events = [];
    private readonly Dictionary<string, (long Sequence, long AppendedTicks)> _unapplied = new(StringComparer.Ordinal);

    /// <summary>How many events are stored.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<bool> TryAppendAsync(CommunityEvent communityEvent, CancellationToken cancellationToken) =>
        Task.FromResult(Append(communityEvent, null, cancellationToken));

    /// <inheritdoc />
    public Task<bool> TryAppendAsync(CommunityEvent communityEvent, DateTimeOffset appendedAt, CancellationToken cancellationToken) =>
        Task.FromResult(Append(communityEvent, appendedAt, cancellationToken));

    /// <inheritdoc />
    public Task MarkAppliedAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _unapplied.Remove(eventId);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CommunityEvent>> ListUnappliedAsync(DateTimeOffset appendedBefore, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<CommunityEvent>>(_unapplied.Values
                .Where(u => u.AppendedTicks < appendedBefore.UtcTicks)
                .Select(u => _events[(int)u.Sequence])
                .OrderBy(e => e.Ticks)
                .ThenBy(e => e.Sequence)
                .Take(max)
                .Select(e => e.Event)
                .ToList());
        }
    }

    private bool Append(CommunityEvent communityEvent, DateTimeOffset? appendedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_ids.Add(communityEvent.Id))
            {
                return false;
            }

            _groups.Add(communityEvent.Group);
            if (appendedAt is { } at)
            {
                _unapplied.Add(communityEvent.Id, (_events.Count, at.UtcTicks));
            }

            _events.Add((communityEvent.At.UtcTicks, _events.Count, communityEvent));
            return true;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CommunityEvent> ReadAsync(
        DateTimeOffset from,
        DateTimeOffset to,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<(long Ticks, long Sequence, CommunityEvent Event)> selected;
        lock (_gate)
        {
            selected = _events.Where(e => e.Ticks >= from.UtcTicks && e.Ticks < to.UtcTicks).ToList();
        }

        selected.Sort(static (a, b) => a.Ticks != b.Ticks ? a.Ticks.CompareTo(b.Ticks) : a.Sequence.CompareTo(b.Sequence));
        foreach (var e in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e.Event;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListGroupsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _groups]);
        }
    }
}
