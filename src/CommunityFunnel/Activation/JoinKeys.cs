namespace CommunityFunnel.Activation;

/// <summary>Maps the joins of an <see cref="ActivationEngine"/> to breakdown keys: channel, group or local join day.</summary>
internal sealed class JoinKeys
{
    private readonly ActivationEngine _engine;
    private readonly ActivationBreakdownBy _by;
    private readonly DayBuckets? _days;

    private JoinKeys(ActivationEngine engine, ActivationBreakdownBy by, DayBuckets? days)
    {
        _engine = engine;
        _by = by;
        _days = days;
    }

    public int Count => _by switch
    {
        ActivationBreakdownBy.Channel => _engine.Channels.Count,
        ActivationBreakdownBy.Group => _engine.Groups.Count,
        ActivationBreakdownBy.Day => _days?.Count ?? 0,
        _ => 1,
    };

    public DayBuckets? Days => _days;

    /// <summary>Keys for the joins that <paramref name="inScope"/> accepts (for days: the range they span).</summary>
    public static JoinKeys Create(ActivationEngine engine, ActivationBreakdownBy by, string timeZoneId, Func<int, bool> inScope)
    {
        DayBuckets? days = null;
        if (by == ActivationBreakdownBy.Day)
        {
            var zone = TimeZones.Find(timeZoneId, nameof(timeZoneId));
            long min = long.MaxValue, max = long.MinValue;
            for (var j = 0; j < engine.JoinCount; j++)
            {
                if (inScope(j))
                {
                    var at = engine.Join(j).At;
                    min = Math.Min(min, at);
                    max = Math.Max(max, at);
                }
            }

            if (min <= max)
            {
                days = new DayBuckets(min, max, zone);
            }
        }

        return new JoinKeys(engine, by, days);
    }

    public int KeyOf(in ActivationEngine.JoinRecord join) => _by switch
    {
        ActivationBreakdownBy.Channel => join.Channel,
        ActivationBreakdownBy.Group => _engine.GroupOfPair(join.Pair),
        ActivationBreakdownBy.Day => _days!.IndexOf(join.At),
        _ => 0,
    };

    public string Key(int index) => _by switch
    {
        ActivationBreakdownBy.Channel => _engine.Channels[index],
        ActivationBreakdownBy.Group => _engine.Groups[index],
        ActivationBreakdownBy.Day => _days!.Key(index),
        _ => "(all)",
    };
}
