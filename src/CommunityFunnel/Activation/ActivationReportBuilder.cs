namespace CommunityFunnel.Activation;

/// <summary>Turns the state of an <see cref="ActivationEngine"/> into an <see cref="ActivationReport"/> for one query.</summary>
internal static class ActivationReportBuilder
{
    public static ActivationReport Build(ActivationEngine engine, ActivationQuery query)
    {
        query.Validate();
        EnsureMatches(engine, query);
        var asOf = query.AsOf.UtcTicks;
        var from = query.From?.UtcTicks ?? long.MinValue;
        var to = query.To?.UtcTicks ?? long.MaxValue;
        var window = engine.WindowTicks;

        bool InScope(int j)
        {
            if (!engine.Counts(j))
            {
                return false;
            }

            var at = engine.Join(j).At;
            return at < asOf && at >= from && at < to;
        }

        var keys = JoinKeys.Create(engine, query.BreakdownBy, query.TimeZoneId, InScope);
        var breakdown = query.BreakdownBy != ActivationBreakdownBy.None;
        // Per key: not activated, activated, pending, excluded, then joins attributed exact, inferred, unknown.
        const int Slots = 7;
        var counts = new long[breakdown ? keys.Count * Slots : 0];
        long eligible = 0, activated = 0, pending = 0, excluded = 0;
        for (var j = 0; j < engine.JoinCount; j++)
        {
            if (!InScope(j))
            {
                continue;
            }

            ref readonly var join = ref engine.Join(j);
            int slot;
            if (join.Excluded)
            {
                excluded++;
                slot = 3;
            }
            else if (asOf - join.At < window)
            {
                pending++;
                slot = 2;
            }
            else if (JoinActivation.IsActivated(join.At, engine.FirstActivityAtOrAfter(join.Pair, join.At), window))
            {
                eligible++;
                activated++;
                slot = 1;
            }
            else
            {
                eligible++;
                slot = 0;
            }

            if (breakdown)
            {
                var key = keys.KeyOf(join) * Slots;
                counts[key + slot]++;
                counts[key + 4 + (int)join.Attribution]++;
            }
        }

        var rows = new List<ActivationBreakdownRow>();
        for (var k = 0; k < keys.Count && breakdown; k++)
        {
            var notActivated = counts[k * Slots];
            var act = counts[(k * Slots) + 1];
            var pend = counts[(k * Slots) + 2];
            var excl = counts[(k * Slots) + 3];
            if (notActivated + act + pend + excl == 0)
            {
                continue;
            }

            var elig = notActivated + act;
            var attribution = new JoinAttributionCounts(counts[(k * Slots) + 4], counts[(k * Slots) + 5], counts[(k * Slots) + 6]);
            rows.Add(new ActivationBreakdownRow(keys.Key(k), elig, act, pend, excl, Rate(act, elig), ConfidenceInterval.Wilson95(act, elig), attribution));
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new ActivationReport(
            query.AsOf,
            engine.Window,
            eligible,
            activated,
            pending,
            excluded,
            engine.Duplicates,
            Rate(activated, eligible),
            ConfidenceInterval.Wilson95(activated, eligible),
            rows);
    }

    public static double? Rate(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;

    public static void EnsureMatches(ActivationEngine engine, ActivationQuery query)
    {
        if (query.Window != engine.Window)
        {
            throw new ArgumentException($"The query's Window {query.Window} differs from the calculator's {engine.Window}.", nameof(query));
        }

        if (query.Rejoin != engine.Rejoin)
        {
            throw new ArgumentException($"The query's Rejoin {query.Rejoin} differs from the calculator's {engine.Rejoin}.", nameof(query));
        }

        if (Mask(query.QualifyingTypes) != engine.QualifyingMask)
        {
            throw new ArgumentException("The query's QualifyingTypes differ from the calculator's.", nameof(query));
        }
    }

    public static int Mask(IEnumerable<Events.EventType> types)
    {
        var mask = 0;
        foreach (var type in types)
        {
            mask |= 1 << (int)type;
        }

        return mask;
    }
}
