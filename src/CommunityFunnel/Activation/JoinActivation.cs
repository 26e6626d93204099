using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// The one place that decides whether a join activated within the window (event-log/v1, "The 24-hour activation
/// rate", rules 2, 3 and 5): which <c>joined</c> event of a (group, member) pair is its first, whether that join
/// is excluded, and whether a qualifying event activates it. The activation and funnel calculators and the member
/// lifecycle (<c>MemberRecord.ActivatedWithinWindow</c>) all decide through it. Instants are UTC ticks.
/// </summary>
internal static class JoinActivation
{
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
}
