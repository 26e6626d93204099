using System.Runtime.CompilerServices;
using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// Counts joins by outcome and breakdown key and turns the counts into an <see cref="ActivationReport"/> (rules 6
/// and 7): the one aggregation behind the calculators' reports and the projection's (this file is compiled into the
/// SQL store packages too). Keys are small ints the caller assigns; their names are asked for when the report is built.
/// </summary>
internal sealed class ActivationTally
{
    // Per key: missed, activated, pending, excluded (the JoinOutcome values), then joins attributed exact, inferred, unknown.
    private const int Slots = 7;

    private readonly bool _breakdown;

    /// <summary>Per key, <see cref="Slots"/> counts (without a breakdown, every join is counted under key 0, outcomes only); the totals are their sums.</summary>
    private long[] _counts;

    /// <summary>Creates a tally.</summary>
    /// <param name="breakdown">Whether joins are counted per key too.</param>
    /// <param name="keys">How many keys to make room for up front (more are added as they come).</param>
    public ActivationTally(bool breakdown, int keys = 0)
    {
        _breakdown = breakdown;
        _counts = new long[Math.Max(breakdown ? keys : 1, 1) * Slots];
    }

    /// <summary>Counts one join of <paramref name="key"/> (ignored without a breakdown).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int key, JoinOutcome outcome, ChannelAttribution attribution)
    {
        if (!_breakdown)
        {
            _counts[(int)outcome]++;
            return;
        }

        var start = key * Slots;
        if (start + Slots > _counts.Length)
        {
            Grow(start + Slots);
        }

        _counts[start + (int)outcome]++;
        _counts[start + 4 + (int)attribution]++;
    }

    private void Grow(int length) => Array.Resize(ref _counts, Math.Max(length, _counts.Length * 2));

    /// <summary>The report: totals, rate, Wilson interval, and one row per key with a join, ordered by key (ordinal).</summary>
    /// <param name="asOf">The query's <c>asOf</c>.</param>
    /// <param name="window">The window <c>W</c>.</param>
    /// <param name="duplicates">Events ignored as duplicates.</param>
    /// <param name="keyName">The name of a key.</param>
    public ActivationReport Build(DateTimeOffset asOf, TimeSpan window, long duplicates, Func<int, string> keyName)
    {
        var rows = new List<ActivationBreakdownRow>();
        long missedTotal = 0, activated = 0, pending = 0, excluded = 0;
        for (var k = 0; k < _counts.Length / Slots; k++)
        {
            var at = k * Slots;
            var missed = _counts[at];
            var act = _counts[at + 1];
            var pend = _counts[at + 2];
            var excl = _counts[at + 3];
            missedTotal += missed;
            activated += act;
            pending += pend;
            excluded += excl;
            if (missed + act + pend + excl == 0 || !_breakdown)
            {
                continue;
            }

            var elig = missed + act;
            var attribution = new JoinAttributionCounts(_counts[at + 4], _counts[at + 5], _counts[at + 6]);
            rows.Add(new ActivationBreakdownRow(keyName(k), elig, act, pend, excl, Rate(act, elig), ConfidenceInterval.Wilson95(act, elig), attribution));
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var eligible = missedTotal + activated;
        return new ActivationReport(
            asOf,
            window,
            eligible,
            activated,
            pending,
            excluded,
            duplicates,
            Rate(activated, eligible),
            ConfidenceInterval.Wilson95(activated, eligible),
            rows);
    }

    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/>, or <see langword="null"/> when the denominator is 0.</summary>
    public static double? Rate(long numerator, long denominator) => denominator == 0 ? null : (double)numerator / denominator;
}
