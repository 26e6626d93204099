using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Events;

public sealed class CommunityEventTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 20, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(EventType.Checkin)]
    [InlineData(EventType.TaskSubmitted)]
    [InlineData(EventType.TaskApproved)]
    [InlineData(EventType.TaskRejected)]
    public void TaskEvents_RequireATask(EventType type)
    {
        var error = Assert.Throws<ArgumentException>(() => new CommunityEvent("e1", type, "g", "m", At));
        Assert.Equal("task", error.ParamName);
    }

    [Fact]
    public void Order_RequiresANonNegativeAmount()
    {
        Assert.Equal("amount", Assert.Throws<ArgumentException>(() => new CommunityEvent("e1", EventType.Order, "g", "m", At)).ParamName);
        Assert.Equal("amount", Assert.Throws<ArgumentOutOfRangeException>(() => new CommunityEvent("e1", EventType.Order, "g", "m", At, amount: -1)).ParamName);
    }

    [Theory]
    [InlineData("", "g", "m", "id")]
    [InlineData("e", "", "m", "group")]
    [InlineData("e", "g", "", "member")]
    public void EmptyIdentifiers_AreRejected_ByName(string id, string group, string member, string expected)
    {
        Assert.Equal(expected, Assert.Throws<ArgumentException>(() => new CommunityEvent(id, EventType.Message, group, member, At)).ParamName);
    }

    [Fact]
    public void EqualFields_MakeEqualEvents()
    {
        var a = new CommunityEvent("e1", EventType.Joined, "g", "m", At, channel: "poster", role: MemberRole.Staff);
        var b = new CommunityEvent("e1", EventType.Joined, "g", "m", At, channel: "poster", role: MemberRole.Staff);

        Assert.Equal(a, b);
        Assert.Equal(MemberRole.Staff, a.EffectiveRole);
        Assert.Equal(MemberRole.Member, new CommunityEvent("e2", EventType.Joined, "g", "m", At).EffectiveRole);
    }

    [Fact]
    public void WireNames_RoundTrip_ForEveryType()
    {
        foreach (var type in Enum.GetValues<EventType>())
        {
            Assert.True(EventTypeNames.TryParseType(type.ToWireName(), out var parsed));
            Assert.Equal(type, parsed);
        }

        Assert.Equal("task_submitted", EventType.TaskSubmitted.ToWireName());
        Assert.False(EventTypeNames.TryParseType("Joined", out _));
    }
}
