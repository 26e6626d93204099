using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;
using CommunityFunnel.Members;

namespace CommunityFunnel.Rewards;

/// <summary>
/// Replays an event log through reward rules in event-time order: the same events, in any order of arrival and any
/// number of times, give the same ledger.
/// </summary>
public static class RewardReplay
{
    /// <summary>Events handed to the engine at once: large enough for its second thread, small enough to stay flat.</summary>
    internal const int ChunkSize = 1 << 16;

    /// <summary>
    /// Replays <paramref name="events"/> as known at <paramref name="asOf"/> into a new in-memory ledger: events at
    /// or after it are left out, a repeated event id counts once (the first seen), and the rest are processed sorted
    /// by (instant, id ordinal), ties by arrival. Member facts are learned from the replayed membership events. Calls
    /// no host code. The events are streamed: the ordering holds at most <paramref name="ordering"/>'s budget of
    /// events in memory and spills sorted runs to temporary files beyond it (see <see cref="EventOrderOptions"/>), so
    /// memory grows with the members, not with the log.
    /// </summary>
    /// <param name="events">The events, in any order; enumerated once.</param>
    /// <param name="rules">The rules and budgets.</param>
    /// <param name="asOf">Only events before this instant are replayed.</param>
    /// <param name="timeZoneId">The community's IANA time zone; default <see cref="RewardRuleSet.TimeZone"/>, else <c>Asia/Shanghai</c>.</param>
    /// <param name="ordering">The ordering's memory budget and temporary folder; default <see cref="EventOrderOptions"/>'s defaults.</param>
    /// <returns>The ledger and its summaries.</returns>
    /// <exception cref="ArgumentException">An option of <paramref name="ordering"/> is invalid (the parameter name is the option's).</exception>
    public static RewardReplayResult Run(IEnumerable<CommunityEvent> events, RewardRuleSet rules, DateTimeOffset asOf, string? timeZoneId = null, EventOrderOptions? ordering = null)
    {
        var (engine, order, filter) = Prepare(events, rules, timeZoneId, null, null, ordering);
        Feed(engine, order.Order(filter.Apply(events, asOf)));
        return new RewardReplayResult(rules, engine.InMemoryLedger!, engine.Statistics, filter.Duplicates, order.Statistics);
    }

    /// <summary>
    /// As <see cref="Run(IEnumerable{CommunityEvent}, RewardRuleSet, DateTimeOffset, string?, EventOrderOptions?)"/>,
    /// from a log that can be read again (a file): the events are processed as they leave the ordering's in-memory
    /// buffer, without waiting for the last line, so nothing is written to temporary files and memory is the buffer's
    /// plus the members'. The result is the same: if an event comes earlier than one already processed (the log is
    /// further out of order than the buffer holds), the replay starts over from nothing, calling
    /// <paramref name="openEvents"/> a second time, and orders that pass through sorted runs
    /// (<see cref="EventOrderStatistics.Passes"/> is then 2).
    /// </summary>
    /// <param name="openEvents">Opens the events, in any order; called once, or twice as above; each sequence enumerated once.</param>
    /// <param name="rules">The rules and budgets.</param>
    /// <param name="asOf">Only events before this instant are replayed.</param>
    /// <param name="timeZoneId">The community's IANA time zone; default <see cref="RewardRuleSet.TimeZone"/>, else <c>Asia/Shanghai</c>.</param>
    /// <param name="ordering">The ordering's memory budget and temporary folder; default <see cref="EventOrderOptions"/>'s defaults.</param>
    /// <returns>The ledger and its summaries.</returns>
    /// <exception cref="ArgumentException">An option of <paramref name="ordering"/> is invalid (the parameter name is the option's).</exception>
    public static RewardReplayResult RunStreaming(Func<IEnumerable<CommunityEvent>> openEvents, RewardRuleSet rules, DateTimeOffset asOf, string? timeZoneId = null, EventOrderOptions? ordering = null)
    {
        ArgumentNullException.ThrowIfNull(openEvents);
        IEnumerable<CommunityEvent> Open() => openEvents() ?? throw new InvalidOperationException("openEvents returned null.");
        var events = Open();
        var (engine, order, filter) = Prepare(events, rules, timeZoneId, null, null, ordering);
        Feed(engine, order.OrderWithinWindow(filter.Apply(events, asOf)));
        if (order.WindowExceeded)
        {
            events = Open();
            (engine, _, filter) = Prepare(events, rules, timeZoneId, null, null, ordering);
            Feed(engine, order.Order(filter.Apply(events, asOf)));
        }

        return new RewardReplayResult(rules, engine.InMemoryLedger!, engine.Statistics, filter.Duplicates, order.Statistics);
    }

    private static void Feed(RewardEngine engine, IEnumerable<CommunityEvent> ordered)
    {
        var chunk = new CommunityEvent[ChunkSize];
        var n = 0;
        foreach (var e in ordered)
        {
            chunk[n++] = e;
            if (n == chunk.Length)
            {
                engine.ProcessBatch(chunk);
                n = 0;
            }
        }

        engine.ProcessBatch(chunk.AsSpan(0, n));
    }

    /// <summary>
    /// As <see cref="Run(IEnumerable{CommunityEvent}, RewardRuleSet, DateTimeOffset, string?, EventOrderOptions?)"/>, into a host's <paramref name="ledger"/> (replaying into a ledger that already holds the
    /// grants adds nothing), with member facts from <paramref name="directory"/> when given; both awaited on the
    /// caller's flow.
    /// </summary>
    /// <param name="events">The events, in any order; enumerated once.</param>
    /// <param name="rules">The rules and budgets.</param>
    /// <param name="asOf">Only events before this instant are replayed.</param>
    /// <param name="ledger">The ledger to write to.</param>
    /// <param name="directory">Member facts; default learned from the replayed membership events.</param>
    /// <param name="timeZoneId">The community's IANA time zone; default <see cref="RewardRuleSet.TimeZone"/>, else <c>Asia/Shanghai</c>.</param>
    /// <param name="ordering">The ordering's memory budget and temporary folder; default <see cref="EventOrderOptions"/>'s defaults.</param>
    /// <param name="cancellationToken">Cancels the replay between events; replaying again completes it.</param>
    /// <returns>The ledger's entries and their summaries.</returns>
    /// <exception cref="ArgumentException">An option of <paramref name="ordering"/> is invalid (the parameter name is the option's).</exception>
    public static async Task<RewardReplayResult> RunAsync(
        IEnumerable<CommunityEvent> events,
        RewardRuleSet rules,
        DateTimeOffset asOf,
        IRewardLedger ledger,
        IMemberDirectory? directory = null,
        string? timeZoneId = null,
        EventOrderOptions? ordering = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var (engine, order, filter) = Prepare(events, rules, timeZoneId, ledger, directory, ordering);
        var chunk = new List<CommunityEvent>(ChunkSize);
        foreach (var e in order.Order(filter.Apply(events, asOf)))
        {
            chunk.Add(e);
            if (chunk.Count == ChunkSize)
            {
                await engine.ProcessBatchAsync(chunk, cancellationToken).ConfigureAwait(false);
                chunk.Clear();
            }
        }

        await engine.ProcessBatchAsync(chunk, cancellationToken).ConfigureAwait(false);
        return await RewardReplayResult.ReadAsync(rules, ledger, engine.Statistics, filter.Duplicates, order.Statistics, cancellationToken).ConfigureAwait(false);
    }

    private static (RewardEngine Engine, EventTimeOrder Order, ReplayFilter Filter) Prepare(
        IEnumerable<CommunityEvent> events,
        RewardRuleSet rules,
        string? timeZoneId,
        IRewardLedger? ledger,
        IMemberDirectory? directory,
        EventOrderOptions? ordering)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(rules);
        var zone = TimeZones.Find(timeZoneId ?? rules.TimeZone ?? "Asia/Shanghai", nameof(timeZoneId));
        var order = new EventTimeOrder(ordering);
        var engine = new RewardEngine(rules, zone, ledger ?? new InMemoryRewardLedger(), directory ?? new InMemoryMemberDirectory());
        return (engine, order, new ReplayFilter(EstimatedEvents.Of(events)));
    }

    /// <summary>Leaves out the events at or after the as-of instant and repeated ids (the first seen counts), in arrival order.</summary>
    private sealed class ReplayFilter
    {
        private const int Run = 4_096;
        private readonly FingerprintSet _seen; // as the event log reader: keyed 128-bit fingerprints of the ids

        /// <summary>Sizes the id set once for about <paramref name="expectedEvents"/> (a file's estimate; 0 when unknown) instead of doubling it as it fills.</summary>
        public ReplayFilter(int expectedEvents) => _seen = expectedEvents > 0 ? new FingerprintSet(expectedEvents) : new FingerprintSet();

        public long Duplicates { get; private set; }

        public IEnumerable<CommunityEvent> Apply(IEnumerable<CommunityEvent> events, DateTimeOffset asOf)
        {
            // Ids are checked a run at a time (FingerprintSet.AddRun: the answers of one Add each, in order, with the
            // table's accesses sorted by region), so a replay of a large log does not wait on memory once an event.
            var limit = asOf.UtcTicks;
            var run = new CommunityEvent[Run];
            var prints = new (ulong Hi, ulong Lo)[Run];
            var duplicate = new bool[Run];
            var n = 0;
            foreach (var e in events)
            {
                if (e.AtUtcTicks >= limit)
                {
                    continue;
                }

                run[n] = e;
                prints[n++] = _seen.Fingerprint(e.Id);
                if (n == Run)
                {
                    foreach (var kept in Check(n))
                    {
                        yield return kept;
                    }

                    n = 0;
                }
            }

            foreach (var kept in Check(n))
            {
                yield return kept;
            }

            IEnumerable<CommunityEvent> Check(int count)
            {
                Array.Clear(duplicate, 0, count);
                Duplicates += _seen.AddRun(prints.AsSpan(0, count), duplicate.AsSpan(0, count));
                for (var i = 0; i < count; i++)
                {
                    if (!duplicate[i])
                    {
                        yield return run[i];
                    }
                }
            }
        }
    }
}
