using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// Computes the funnel report of an event sequence in any order: attracted → joined → activated within
/// <c>W</c> → converted (first <c>order</c>), with the rates between steps and the median times to each.
/// Attracted counts the distinct visitors of the <c>invite_viewed</c> events (event-log/v1.1) of each row.
/// Joins, windows, cohorts and exclusions follow the activation rate of event-log/v1 exactly.
/// </summary>
public static class FunnelCalculator
{
    /// <summary>Computes the funnel of <paramref name="query"/> over <paramref name="events"/>.</summary>
    /// <param name="events">The events, in any order; a repeated id is ignored and counted.</param>
    /// <param name="query">What to compute.</param>
    /// <exception cref="ArgumentException">A field of <paramref name="query"/> is invalid; the message names it.</exception>
    public static FunnelReport Calculate(IEnumerable<CommunityEvent> events, FunnelQuery query)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(query);
        var activation = query.ToActivationQuery();
        var engine = new ActivationEngine(query.Window, query.Rejoin, query.QualifyingTypes, compact: false, trackOrders: true, expectedEvents: EstimatedEvents.Of(events));
        var asOf = query.AsOf.UtcTicks;
        var from = activation.From?.UtcTicks ?? long.MinValue;
        var to = activation.To?.UtcTicks ?? long.MaxValue;

        // The attract step: each distinct (group, visitor) per row key, by exact ordinal string equality.
        var visitors = new Dictionary<string, HashSet<(string Group, string Visitor)>>(StringComparer.Ordinal);
        engine.OnInviteViewed = e =>
        {
            if (e.AtUtcTicks >= from && e.AtUtcTicks < to)
            {
                var key = query.By == ActivationBreakdownBy.Group ? e.Group : e.Channel!;
                if (!visitors.TryGetValue(key, out var set))
                {
                    visitors[key] = set = [];
                }

                set.Add((e.Group, e.Member));
            }
        };
        engine.AddAll(events, asOf);
        bool InScope(int j)
        {
            if (!engine.Counts(j))
            {
                return false;
            }

            var at = engine.Join(j).At;
            return at < asOf && at >= from && at < to;
        }

        var rowKeys = JoinKeys.Create(engine, query.By, query.TimeZoneId, InScope);
        var dayKeys = JoinKeys.Create(engine, ActivationBreakdownBy.Day, query.TimeZoneId, InScope);
        var rows = new Tally[rowKeys.Count];
        var days = new Tally[dayKeys.Count];
        var total = new Tally();
        var window = engine.WindowTicks;
        for (var j = 0; j < engine.JoinCount; j++)
        {
            if (!InScope(j))
            {
                continue;
            }

            ref readonly var join = ref engine.Join(j);
            var row = rows[rowKeys.KeyOf(join)] ??= new Tally();
            var day = days[dayKeys.KeyOf(join)] ??= new Tally();
            if (join.Excluded)
            {
                row.Excluded++;
                day.Excluded++;
                total.Excluded++;
                continue;
            }

            long toActivate = -1, toConvert = -1;
            var pending = asOf - join.At < window;
            if (!pending)
            {
                var first = engine.FirstActivityAtOrAfter(join.Pair, join.At);
                toActivate = JoinActivation.IsActivated(join.At, first, window) ? first - join.At : -1;
            }

            var order = engine.FirstOrderAtOrAfter(join.Pair, join.At);
            if (order < asOf)
            {
                toConvert = order - join.At;
            }

            row.Add(pending, toActivate, toConvert);
            day.Add(pending, toActivate, toConvert);
            total.Add(pending, toActivate, toConvert);
        }

        var byKey = new Dictionary<string, Tally>(StringComparer.Ordinal);
        for (var k = 0; k < rows.Length; k++)
        {
            if (rows[k] is { } t)
            {
                byKey[rowKeys.Key(k)] = t;
            }
        }

        foreach (var key in visitors.Keys)
        {
            if (!byKey.ContainsKey(key))
            {
                byKey[key] = new Tally();
            }
        }

        var rowList = new List<FunnelRow>();
        long? totalAttracted = null, totalAttractedJoined = null;
        foreach (var (key, t) in byKey)
        {
            long? attracted = visitors.TryGetValue(key, out var set) ? set.Count
                : query.Attracted is not null && query.Attracted.TryGetValue(key, out var a) ? a
                : null;
            if (attracted is { } n)
            {
                totalAttracted = checked((totalAttracted ?? 0) + n);
                totalAttractedJoined = checked((totalAttractedJoined ?? 0) + t.Joined);
            }

            rowList.Add(t.ToRow(key, attracted, attracted is null ? null : t.Joined));
        }

        rowList.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        var dayList = new List<FunnelRow>();
        for (var k = 0; k < days.Length; k++)
        {
            if (days[k] is { } t)
            {
                dayList.Add(t.ToRow(dayKeys.Key(k), null, null));
            }
        }

        return new FunnelReport(
            query.AsOf,
            query.Window,
            query.By,
            engine.Duplicates,
            total.ToRow("(all)", totalAttracted, totalAttractedJoined),
            rowList,
            dayList);
    }

    private sealed class Tally
    {
        private readonly List<long> _toActivate = [];
        private readonly List<long> _toConvert = [];

        public long Joined { get; private set; }

        public long Pending { get; private set; }

        public long Eligible { get; private set; }

        public long Excluded { get; set; }

        public void Add(bool pending, long toActivate, long toConvert)
        {
            Joined++;
            if (pending)
            {
                Pending++;
            }
            else
            {
                Eligible++;
            }

            if (toActivate >= 0)
            {
                _toActivate.Add(toActivate);
            }

            if (toConvert >= 0)
            {
                _toConvert.Add(toConvert);
            }
        }

        public FunnelRow ToRow(string key, long? attracted, long? attractedJoined)
        {
            var activated = _toActivate.Count;
            var converted = _toConvert.Count;
            double? joinRate = attracted is { } n && attractedJoined is { } j ? ActivationReportBuilder.Rate(j, n) : null;
            var joinCi = attracted is { } n2 && attractedJoined is { } j2 && j2 <= n2 ? ConfidenceInterval.Wilson95(j2, n2) : null;
            return new FunnelRow(
                key,
                attracted,
                attractedJoined,
                joinCi,
                Joined,
                Eligible,
                Pending,
                activated,
                converted,
                Excluded,
                joinRate,
                ActivationReportBuilder.Rate(activated, Eligible),
                ConfidenceInterval.Wilson95(activated, Eligible),
                ActivationReportBuilder.Rate(converted, Joined),
                Median(_toActivate),
                Median(_toConvert));
        }

        private static TimeSpan? Median(List<long> ticks)
        {
            if (ticks.Count == 0)
            {
                return null;
            }

            ticks.Sort();
            var mid = ticks.Count / 2;
            return TimeSpan.FromTicks(ticks.Count % 2 == 1 ? ticks[mid] : ticks[mid - 1] + ((ticks[mid] - ticks[mid - 1]) / 2));
        }
    }
}
