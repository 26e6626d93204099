using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// The one place that decides whether a join activated within the window (event-log/v1, "The 24-hour activation
/// rate", rules 2, 3 and 5): which <c>joined</c> event of a (group, member) pair is its first, whether that join
/// is excluded, and whether a qualifying event activates it. The activation and funnel calculators and the member
/// lifecycle (<c>MemberRecord.ActivatedWithinWindow</c>) all decide through it, and so does the online activation
/// projection (<see cref="ActivationProjectionRules"/>; this file is compiled into the SQL store packages too).
/// Instants are UTC ticks.
/// </summary>
internal static class JoinActivation
{
    /// <summary>The breakdown key of a join without a channel (rule 7).</summary>
    public const string NoChannel = "(none)";

    /// <summary>Rule 2 (<c>first</c>): whether a join at <paramref name="at"/> with id <paramref name="id"/> comes before the pair's current first join (ties: the smaller id in ordinal order).</summary>
    public static bool IsEarlier(long at, string id, long firstAt, string? firstId) =>
        at < firstAt || (at == firstAt && string.CompareOrdinal(id, firstId) < 0);

    /// <summary>Rule 3: a join with <c>role</c> <c>staff</c> or <c>bot</c> is excluded (neither pending nor eligible, never activated).</summary>
    public static bool IsExcluded(MemberRole role) => role != MemberRole.Member;

    /// <summary>Rule 5: whether a qualifying event at <paramref name="at"/> activates the join at <paramref name="joinAt"/>: <c>joinAt &lt;= at &lt; joinAt + W</c>.</summary>
    public static bool Activates(long joinAt, long at, long window) => at >= joinAt && at - joinAt < window;

    /// <summary>
    /// Rule 5 from the pair's first qualifying instant at or after the join (<see cref="long.MaxValue"/> when there
    /// is none): activated when it lies before <c>joinAt + W</c>.
    /// </summary>
    public static bool IsActivated(long joinAt, long firstQualifyingAtOrAfterJoin, long window) =>
        Activates(joinAt, firstQualifyingAtOrAfterJoin, window);

    /// <summary>
    /// Rules 1, 3, 4 and 5 for one join counted under the rejoin policy, as of <paramref name="asOf"/> (the join is
    /// before it): excluded, pending while its window is open, else activated or missed.
    /// </summary>
    /// <param name="joinAt">The join's instant.</param>
    /// <param name="excluded">Whether the join is of staff or a bot (<see cref="IsExcluded"/>).</param>
    /// <param name="firstQualifyingAtOrAfterJoin">The pair's first qualifying instant at or after the join (or any instant at or after the window's end, or <see cref="long.MaxValue"/>, when there is none within it).</param>
    /// <param name="asOf">The report's instant.</param>
    /// <param name="window">The window <c>W</c>.</param>
    public static JoinOutcome Outcome(long joinAt, bool excluded, long firstQualifyingAtOrAfterJoin, long asOf, long window)
    {
        if (excluded)
        {
            return JoinOutcome.Excluded;
        }

        if (asOf - joinAt < window)
        {
            return JoinOutcome.Pending;
        }

        return IsActivated(joinAt, firstQualifyingAtOrAfterJoin, window) ? JoinOutcome.Activated : JoinOutcome.Missed;
    }

    /// <summary>The end of the window of a join at <paramref name="joinAt"/>, <c>joinAt + W</c>, saturated at <see cref="long.MaxValue"/>.</summary>
    public static long WindowEnd(long joinAt, long window) => joinAt > long.MaxValue - window ? long.MaxValue : joinAt + window;
}

/// <summary>What a join counts as in a report (rules 3 to 5); the values are the report builders' slots.</summary>
internal enum JoinOutcome
{
    /// <summary>Eligible, without a qualifying event in its window.</summary>
    Missed = 0,

    /// <summary>Eligible, with a qualifying event in its window.</summary>
    Activated = 1,

    /// <summary>Its window was still open.</summary>
    Pending = 2,

    /// <summary>A join of staff or a bot.</summary>
    Excluded = 3,
}
