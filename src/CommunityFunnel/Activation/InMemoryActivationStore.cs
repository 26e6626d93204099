using System.Runtime.CompilerServices;
using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// An <see cref="IActivationStore"/> in this process's memory, for tests, demos and single-process hosts: everything
/// is lost when the process ends. Thread-safe: one event is applied at a time. The rules are
/// <see cref="ActivationProjectionRules"/>'s, as in every store; this one keeps the rows in dictionaries.
/// </summary>
public sealed class InMemoryActivationStore : IActivationStore
{
    private readonly ActivationProjectionRules _rules;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Rows _rows = new();

    /// <summary>Creates an empty store whose rows are kept for <paramref name="window"/> and <paramref name="qualifyingTypes"/>.</summary>
    /// <param name="window">The activation window <c>W</c>; default 24 hours.</param>
    /// <param name="qualifyingTypes">The qualifying types <c>Q</c>; default <see cref="QualifyingActivity.DefaultTypes"/>.</param>
    /// <exception cref="ArgumentException">The window is not positive or <c>Q</c> is empty or holds an undefined type.</exception>
    public InMemoryActivationStore(TimeSpan? window = null, IReadOnlyCollection<EventType>? qualifyingTypes = null) =>
        _rules = new ActivationProjectionRules(window ?? TimeSpan.FromHours(24), qualifyingTypes ?? QualifyingActivity.DefaultTypes);

    /// <summary>The activation window <c>W</c> the rows are kept for.</summary>
    public TimeSpan Window => _rules.Window;

    /// <summary>The qualifying types <c>Q</c> the rows are kept for.</summary>
    public IReadOnlyCollection<EventType> QualifyingTypes => _rules.QualifyingTypes;

    /// <inheritdoc />
    public async Task<bool> ApplyAsync(CommunityEvent communityEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await _rules.ApplyAsync(_rows, communityEvent, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<ActivationReport> GetReportAsync(ActivationQuery query, CancellationToken cancellationToken)
    {
        _rules.EnsureMatches(query);
        var (from, before, firstOnly) = ActivationProjectionRules.Scope(query);
        List<ReportedJoin> selected;
        long duplicates;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            selected = _rows.Joins
                .Where(j => j.At >= from && j.At < before && (j.IsFirst || !firstOnly))
                .Select(j => new ReportedJoin(j.At, j.Group, j.Channel, j.Excluded, j.Attribution, j.FirstActivity, j.FirstOrder))
                .ToList();
            duplicates = _rows.Duplicates;
        }
        finally
        {
            _gate.Release();
        }

        return await _rules.ReportAsync(query, Stream(selected), duplicates, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<FunnelReport> GetFunnelReportAsync(FunnelQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var activation = query.ToActivationQuery();
        _rules.EnsureMatches(activation);
        var (from, before, firstOnly) = ActivationProjectionRules.Scope(activation);
        List<ReportedJoin> joins;
        List<InviteView> views;
        long duplicates;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            joins = _rows.Joins
                .Where(j => j.At >= from && j.At < before && (j.IsFirst || !firstOnly))
                .Select(j => new ReportedJoin(j.At, j.Group, j.Channel, j.Excluded, j.Attribution, j.FirstActivity, j.FirstOrder))
                .ToList();
            views = _rows.Views.Where(v => v.At >= from && v.At < before).Select(v => v.View).Distinct().ToList();
            duplicates = _rows.Duplicates;
        }
        finally
        {
            _gate.Release();
        }

        return await _rules.FunnelAsync(query, Stream(joins), Stream(views), duplicates, cancellationToken).ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<T> Stream<T>(List<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private sealed class Pair
    {
        public FirstJoin? First;
        public readonly SortedSet<long> Activity = [];
        public readonly SortedSet<long> Orders = [];
        public readonly List<int> Joins = [];
    }

    /// <summary>The rows, touched only under the store's gate.</summary>
    private sealed class Rows : IActivationRows
    {
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly Dictionary<(string Group, string Member), Pair> _pairs = [];
        private readonly Dictionary<string, int> _joinById = new(StringComparer.Ordinal);

        public List<ProjectedJoin> Joins { get; } = [];

        public HashSet<(InviteView View, long At)> Views { get; } = [];

        public long Duplicates { get; private set; }

        public ValueTask<bool> TryRecordEventAsync(string eventId, CancellationToken cancellationToken) => ValueTask.FromResult(_ids.Add(eventId));

        public ValueTask CountDuplicateAsync(CancellationToken cancellationToken)
        {
            Duplicates++;
            return ValueTask.CompletedTask;
        }

        public ValueTask<FirstJoin?> LockPairAsync(string group, string member, CancellationToken cancellationToken) =>
            ValueTask.FromResult(PairOf(group, member).First);

        public ValueTask AddActivityAsync(string group, string member, long at, CancellationToken cancellationToken)
        {
            PairOf(group, member).Activity.Add(at);
            return ValueTask.CompletedTask;
        }

        public ValueTask<long?> FirstActivityAsync(string group, string member, long fromInclusive, long toExclusive, CancellationToken cancellationToken)
        {
            var activity = PairOf(group, member).Activity;
            long? first = fromInclusive < toExclusive && activity.GetViewBetween(fromInclusive, toExclusive - 1) is { Count: > 0 } view ? view.Min : null;
            return ValueTask.FromResult(first);
        }

        public ValueTask LowerFirstActivityAsync(string group, string member, long joinFromInclusive, long joinToInclusive, long at, CancellationToken cancellationToken)
        {
            foreach (var j in PairOf(group, member).Joins)
            {
                var join = Joins[j];
                if (join.At >= joinFromInclusive && join.At <= joinToInclusive && (join.FirstActivity is null || join.FirstActivity > at))
                {
                    Joins[j] = join with { FirstActivity = at };
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask AddOrderAsync(string group, string member, long at, CancellationToken cancellationToken)
        {
            PairOf(group, member).Orders.Add(at);
            return ValueTask.CompletedTask;
        }

        public ValueTask<long?> FirstOrderAsync(string group, string member, long fromInclusive, CancellationToken cancellationToken)
        {
            var orders = PairOf(group, member).Orders;
            long? first = orders.GetViewBetween(fromInclusive, long.MaxValue) is { Count: > 0 } view ? view.Min : null;
            return ValueTask.FromResult(first);
        }

        public ValueTask LowerFirstOrderAsync(string group, string member, long at, CancellationToken cancellationToken)
        {
            foreach (var j in PairOf(group, member).Joins)
            {
                var join = Joins[j];
                if (join.At <= at && (join.FirstOrder is null || join.FirstOrder > at))
                {
                    Joins[j] = join with { FirstOrder = at };
                }
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask AddInviteViewAsync(string group, string visitor, string channel, long at, CancellationToken cancellationToken)
        {
            Views.Add((new InviteView(group, visitor, channel), at));
            return ValueTask.CompletedTask;
        }

        public ValueTask AddJoinAsync(ProjectedJoin join, CancellationToken cancellationToken)
        {
            _joinById.Add(join.Id, Joins.Count);
            PairOf(join.Group, join.Member).Joins.Add(Joins.Count);
            Joins.Add(join);
            return ValueTask.CompletedTask;
        }

        public ValueTask SetFirstJoinAsync(string group, string member, string? previousId, string newId, long at, CancellationToken cancellationToken)
        {
            PairOf(group, member).First = new FirstJoin(newId, at);
            if (previousId is not null)
            {
                var previous = _joinById[previousId];
                Joins[previous] = Joins[previous] with { IsFirst = false };
            }

            var current = _joinById[newId];
            Joins[current] = Joins[current] with { IsFirst = true };
            return ValueTask.CompletedTask;
        }

        private Pair PairOf(string group, string member)
        {
            if (!_pairs.TryGetValue((group, member), out var pair))
            {
                pair = new Pair();
                _pairs.Add((group, member), pair);
            }

            return pair;
        }
    }
}
