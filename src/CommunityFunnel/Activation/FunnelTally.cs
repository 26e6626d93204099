namespace CommunityFunnel.Activation;

/// <summary>
/// The funnel's counts of one row (a channel, a group, a day or the total) and the medians behind them: shared by
/// <see cref="FunnelCalculator"/> and the activation projection's funnel (this file is compiled into the SQL store
/// packages too), so both build their rows alike.
/// </summary>
internal sealed class FunnelTally
{
    private readonly List<long> _toActivate = [];
    private readonly List<long> _toConvert = [];

    public long Joined { get; private set; }

    public long Pending { get; private set; }

    public long Eligible { get; private set; }

    public long Excluded { get; set; }

    /// <summary>Counts one member join: pending or eligible, with its time to activate and to convert in ticks (negative: none).</summary>
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
        double? joinRate = attracted is { } n && attractedJoined is { } j ? ActivationTally.Rate(j, n) : null;
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
            ActivationTally.Rate(activated, Eligible),
            ConfidenceInterval.Wilson95(activated, Eligible),
            ActivationTally.Rate(converted, Joined),
            Median(_toActivate),
            Median(_toConvert));
    }

    /// <summary>
    /// The report from the rows' tallies: a row per key with a join or an attracted visitor (ordinal order), the
    /// measured visitors (<paramref name="visitors"/>, distinct per key) or else the host's <see cref="FunnelQuery.Attracted"/>.
    /// </summary>
    public static FunnelReport Report(
        FunnelQuery query,
        long duplicates,
        FunnelTally total,
        IEnumerable<(string Key, FunnelTally Tally)> rows,
        IEnumerable<(string Key, FunnelTally Tally)> days,
        IReadOnlyDictionary<string, long> visitors)
    {
        var byKey = new Dictionary<string, FunnelTally>(StringComparer.Ordinal);
        foreach (var (key, t) in rows)
        {
            byKey[key] = t;
        }

        foreach (var key in visitors.Keys)
        {
            if (!byKey.ContainsKey(key))
            {
                byKey[key] = new FunnelTally();
            }
        }

        var rowList = new List<FunnelRow>();
        long? totalAttracted = null, totalAttractedJoined = null;
        foreach (var (key, t) in byKey)
        {
            long? attracted = visitors.TryGetValue(key, out var seen) ? seen
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
        var dayList = days.Select(d => d.Tally.ToRow(d.Key, null, null)).ToList();
        dayList.Sort((x, y) => string.CompareOrdinal(x.Key, y.Key));
        return new FunnelReport(
            query.AsOf,
            query.Window,
            query.By,
            duplicates,
            total.ToRow("(all)", totalAttracted, totalAttractedJoined),
            rowList,
            dayList);
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
