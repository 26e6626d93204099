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
    public Task<bool> TryAppendAsync(CommunityEvent communityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_ids.Add(communityEvent.Id))
            {
                return Task.FromResult(false);
            }

            _groups.Add(communityEvent.Group);
            _events.Add((communityEvent.At.UtcTicks, _events.Count, communityEvent));
            return Task.FromResult(true);
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
