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
        var rows = new FunnelTally[rowKeys.Count];
        var days = new FunnelTally[dayKeys.Count];
        var total = new FunnelTally();
        var window = engine.WindowTicks;
        for (var j = 0; j < engine.JoinCount; j++)
        {
            if (!InScope(j))
            {
                continue;
            }

            ref readonly var join = ref engine.Join(j);
            var row = rows[rowKeys.KeyOf(join)] ??= new FunnelTally();
            var day = days[dayKeys.KeyOf(join)] ??= new FunnelTally();
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

        return FunnelTally.Report(
            query,
            engine.Duplicates,
            total,
            rows.Select((t, k) => (Key: rowKeys.Key(k), Tally: t)).Where(r => r.Tally is not null),
            days.Select((t, k) => (Key: dayKeys.Key(k), Tally: t)).Where(d => d.Tally is not null),
            visitors.ToDictionary(v => v.Key, v => (long)v.Value.Count, StringComparer.Ordinal));
    }
}
