using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>
/// The community's membership projection of one member, across its groups: what reward eligibility (and any host
/// feature that asks "is this member in, since when, through which channel, as what") reads. It is folded from the
/// member's <c>joined</c>, <c>left</c> and <c>removed</c> events by <see cref="Next"/>, the one rule every
/// <see cref="IMemberDirectory"/> (in memory, SQLite, PostgreSQL, or a host's own) applies.
/// </summary>
/// <param name="State">Whether the member is in a group, left, or was removed: the latest membership event applied decides.</param>
/// <param name="FirstJoinedAt">The member's first join, if known.</param>
/// <param name="Channel">The channel of the member's first join, if any.</param>
/// <param name="Role">The role of the member's latest join (member, staff or bot).</param>
public sealed record MemberFacts(MembershipState State, DateTimeOffset? FirstJoinedAt, string? Channel, MemberRole Role)
{
    /// <summary>
    /// Whether <paramref name="type"/> changes a member's facts (a join, a leave or a removal); <see cref="Next"/>
    /// leaves them as they are for every other type.
    /// </summary>
    /// <param name="type">The event type.</param>
    /// <returns>True for <c>joined</c>, <c>left</c> and <c>removed</c>.</returns>
    public static bool Changes(EventType type) => type is EventType.Joined or EventType.Left or EventType.Removed;

    /// <summary>
    /// The facts after <paramref name="membershipEvent"/>: a join puts the member in a group with that join's role
    /// and, when it is the earliest join seen (an earlier one may arrive late), its instant and channel as the first
    /// join; a leave or a removal sets the state and keeps the rest. Applying the same event again gives the same
    /// facts.
    /// </summary>
    /// <param name="known">The facts so far, or <see langword="null"/> for a member never seen.</param>
    /// <param name="membershipEvent">The event; one that does not <see cref="Changes"/> them returns <paramref name="known"/>.</param>
    /// <returns>The new facts (null only when <paramref name="known"/> is null and the event is not a membership event).</returns>
    public static MemberFacts? Next(MemberFacts? known, CommunityEvent membershipEvent)
    {
        ArgumentNullException.ThrowIfNull(membershipEvent);
        var e = membershipEvent;
        return e.Type switch
        {
            EventType.Joined => known is { FirstJoinedAt: { } first } && first <= e.At
                ? known with { State = MembershipState.InGroup, Role = e.EffectiveRole }
                : new MemberFacts(MembershipState.InGroup, e.At, e.Channel, e.EffectiveRole),
            EventType.Left => known is null ? new MemberFacts(MembershipState.Left, null, null, MemberRole.Member) : known with { State = MembershipState.Left },
            EventType.Removed => known is null ? new MemberFacts(MembershipState.Removed, null, null, MemberRole.Member) : known with { State = MembershipState.Removed },
            _ => known,
        };
    }
}
