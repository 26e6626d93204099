using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

/// <summary>The one membership fold (<see cref="MemberFacts.Next"/>) that every member directory applies.</summary>
public sealed class MemberFactsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static CommunityEvent E(EventType type, int minutes, string? channel = null, MemberRole? role = null) =>
        new($"e{minutes}-{type}", type, "g1", "m1", T0.AddMinutes(minutes), channel: channel, role: role);

    [Fact]
    public void AJoin_PutsTheMemberInAGroup_WithTheFirstJoinsInstantAndChannel_AndTheLatestJoinsRole()
    {
        var facts = MemberFacts.Next(null, E(EventType.Joined, 10, "poster", MemberRole.Member));
        Assert.Equal(new MemberFacts(MembershipState.InGroup, T0.AddMinutes(10), "poster", MemberRole.Member), facts);

        facts = MemberFacts.Next(MemberFacts.Next(facts, E(EventType.Left, 20)), E(EventType.Joined, 30, "link", MemberRole.Staff));
        Assert.Equal(new MemberFacts(MembershipState.InGroup, T0.AddMinutes(10), "poster", MemberRole.Staff), facts);
    }

    [Fact]
    public void AnEarlierJoinArrivingLate_BecomesTheFirstJoin()
    {
        var facts = MemberFacts.Next(null, E(EventType.Joined, 30, "link"));
        facts = MemberFacts.Next(facts, E(EventType.Joined, 5, "poster"));

        Assert.Equal((T0.AddMinutes(5), "poster"), (facts!.FirstJoinedAt, facts.Channel));
    }

    [Fact]
    public void LeavingOrRemoval_SetsTheState_AndKeepsTheRest_EvenForAMemberNeverSeenJoining()
    {
        var joined = MemberFacts.Next(null, E(EventType.Joined, 0, "poster", MemberRole.Bot))!;
        Assert.Equal(joined with { State = MembershipState.Left }, MemberFacts.Next(joined, E(EventType.Left, 1)));
        Assert.Equal(joined with { State = MembershipState.Removed }, MemberFacts.Next(joined, E(EventType.Removed, 1)));
        Assert.Equal(new MemberFacts(MembershipState.Removed, null, null, MemberRole.Member), MemberFacts.Next(null, E(EventType.Removed, 1)));
    }

    [Fact]
    public void OtherEvents_ChangeNothing_AndApplyingAnEventTwiceIsApplyingItOnce()
    {
        var joined = MemberFacts.Next(null, E(EventType.Joined, 0, "poster"));
        Assert.Equal([EventType.Joined, EventType.Left, EventType.Removed], Enum.GetValues<EventType>().Where(MemberFacts.Changes));
        Assert.Same(joined, MemberFacts.Next(joined, E(EventType.Message, 3)));
        Assert.Same(joined, MemberFacts.Next(joined, new CommunityEvent("c", EventType.Checkin, "g1", "m1", T0, task: "t")));
        Assert.Null(MemberFacts.Next(null, E(EventType.Message, 3)));

        foreach (var type in new[] { EventType.Joined, EventType.Left, EventType.Removed })
        {
            var once = MemberFacts.Next(joined, E(type, 7, "link"));
            Assert.Equal(once, MemberFacts.Next(once, E(type, 7, "link")));
        }
    }
}
