using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;
using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

/// <summary>The engine's (group, member) → slot index (keyed fingerprints per group index).</summary>
public sealed class LifecycleEngineIndexTests
{
    [Fact]
    public void Slot_IsStablePerGroupAndMember_AndGroupsAreKeptApart()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy());
        var engine = kit.Engine;
        var a = engine.Slot("g1", "m");
        var b = engine.Slot("g2", "m");
        var c = engine.Slot(new string("g1".AsSpan()), new string("m".AsSpan())); // equal strings, other instances
        Assert.NotEqual(a, b);
        Assert.Equal(a, c);
        Assert.Equal(2, engine.Count);
        Assert.Equal(new MemberKey("g2", "m"), engine.KeyOf(b));
        Assert.Equal(a, engine.Find("g1", "m"));
        Assert.Equal(-1, engine.Find("g1", "other"));
        Assert.Equal(-1, engine.Find("g3", "m"));
        Assert.Equal(-1, engine.Find("", ""));
        Assert.Equal(2, engine.Count); // Find adds nothing
    }

    [Fact]
    public void Slot_GrowsPastTheInitialCapacity_AndEmptyStringsAreMembers()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy());
        var engine = kit.Engine;
        var empty = engine.Slot("", "");
        for (var i = 0; i < 5000; i++)
        {
            Assert.Equal(i + 1, engine.Slot(i % 2 == 0 ? "g1" : "g2", "m" + i));
        }

        Assert.Equal(empty, engine.Find("", ""));
        for (var i = 0; i < 5000; i++)
        {
            Assert.Equal(i + 1, engine.Find(i % 2 == 0 ? "g1" : "g2", "m" + i));
            Assert.Equal(-1, engine.Find(i % 2 == 0 ? "g2" : "g1", "m" + i));
        }
    }

    [Fact]
    public void GroupPolicies_FollowTheGroup_EvenWhenGroupsAlternate()
    {
        var options = new LifecycleOptions { DefaultPolicy = new LifecyclePolicy() };
        options.Groups["vip"] = new LifecyclePolicy { NicknamePattern = "^x$" };
        var kit = new LifecycleTestKit(options);
        kit.Apply(EventType.Joined, "a", LifecycleTestKit.T0, group: "g1");
        kit.Apply(EventType.Joined, "a", LifecycleTestKit.T0, group: "vip");
        kit.Apply(EventType.Joined, "b", LifecycleTestKit.T0, group: "g1");
        Assert.Equal(MemberState.Active, kit.Member("a", "g1").State);
        Assert.Equal(MemberState.Onboarding, kit.Member("a", "vip").State);
        Assert.Equal(MemberState.Active, kit.Member("b", "g1").State);
    }

    [Fact]
    public void Clone_HasTheSameMembers_AndAddingToItLeavesTheSourceAlone()
    {
        var kit = new LifecycleTestKit(new LifecyclePolicy());
        kit.Apply(EventType.Joined, "a", LifecycleTestKit.T0);
        var copy = kit.Engine.Clone();
        Assert.Equal(0, copy.Find("g1", "a"));
        copy.Slot("g1", "b");
        copy.Slot("g9", "a");
        Assert.Equal(-1, kit.Engine.Find("g1", "b"));
        Assert.Equal(-1, kit.Engine.Find("g9", "a"));
        Assert.Equal(1, kit.Engine.Count);
        Assert.Equal(1, copy.Find("g1", "b"));
    }

    [Fact]
    public void FingerprintTable_Find_ReturnsMinusOneForAbsentKeys_AndCloneIsIndependent()
    {
        var table = new FingerprintTable(16);
        Assert.Equal(-1, table.Find(1, "x"));
        Assert.Equal(7, table.GetOrAdd(1, "x", 7, out var added));
        Assert.True(added);
        Assert.Equal(7, table.Find(1, "x"));
        Assert.Equal(-1, table.Find(2, "x"));
        var copy = table.Clone();
        copy.GetOrAdd(2, "x", 8, out _);
        Assert.Equal(8, copy.Find(2, "x"));
        Assert.Equal(-1, table.Find(2, "x"));
        Assert.Equal(1, table.Count);
        Assert.Equal(2, copy.Count);
    }
}
