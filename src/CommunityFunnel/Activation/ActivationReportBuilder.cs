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
        var tally = new ActivationTally(query.BreakdownBy != ActivationBreakdownBy.None, keys.Count);
        for (var j = 0; j < engine.JoinCount; j++)
        {
            if (!InScope(j))
            {
                continue;
            }

            ref readonly var join = ref engine.Join(j);
            var first = join.Excluded || asOf - join.At < window ? long.MaxValue : engine.FirstActivityAtOrAfter(join.Pair, join.At);
            tally.Add(keys.KeyOf(join), JoinActivation.Outcome(join.At, join.Excluded, first, asOf, window), join.Attribution);
        }

        return tally.Build(query.AsOf, engine.Window, engine.Duplicates, keys.Key);
    }

    public static double? Rate(long numerator, long denominator) => ActivationTally.Rate(numerator, denominator);

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
