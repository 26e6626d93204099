using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// Computes the funnel report of an event sequence in any order: attracted → joined → activated within
/// <c>W</c> → converted (first <c>order</c>), with the rates between steps and the median times to each.
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
        engine.AddAll(events, asOf);

        var from = activation.From?.UtcTicks ?? long.MinValue;
        var to = activation.To?.UtcTicks ?? long.MaxValue;
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
                var first = engine.FirstActivityAtOrAfter(join.Pair, join.At) - join.At;
                toActivate = first < window ? first : -1;
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

        var rowList = new List<FunnelRow>();
        for (var k = 0; k < rows.Length; k++)
        {
            if (rows[k] is { } t)
            {
                var key = rowKeys.Key(k);
                var attracted = query.Attracted is not null && query.Attracted.TryGetValue(key, out var a) ? a : t.Joined;
                total.Attracted = checked(total.Attracted + attracted);
                rowList.Add(t.ToRow(key, attracted));
            }
        }

        rowList.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        var dayList = new List<FunnelRow>();
        for (var k = 0; k < days.Length; k++)
        {
            if (days[k] is { } t)
            {
                dayList.Add(t.ToRow(dayKeys.Key(k), t.Joined));
            }
        }

        return new FunnelReport(
            query.AsOf,
            query.Window,
            query.By,
            engine.Duplicates,
            total.ToRow("(all)", total.Attracted),
            rowList,
            dayList);
    }

    private sealed class Tally
    {
        private readonly List<long> _toActivate = [];
        private readonly List<long> _toConvert = [];

        public long Attracted { get; set; }

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

        public FunnelRow ToRow(string key, long attracted)
        {
            var activated = _toActivate.Count;
            var converted = _toConvert.Count;
            return new FunnelRow(
                key,
                attracted,
                Joined,
                Eligible,
                Pending,
                activated,
                converted,
                Excluded,
                ActivationReportBuilder.Rate(Joined, attracted),
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
