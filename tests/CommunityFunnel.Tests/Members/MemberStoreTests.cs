using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

public sealed class MemberStoreTests
{
    private static MemberRecord Record(string member, long version, MemberState state = MemberState.Active) =>
        new() { Group = "g1", Member = member, Version = version, State = state, FirstSeenAt = LifecycleTestKit.T0 };

    private static MemberTransition Transition(string member, string trigger) =>
        new("g1", member, MemberState.Active, MemberState.Active, trigger, LifecycleTestKit.T0);

    [Fact]
    public void Save_WithTheExpectedVersion_Succeeds_AndAppendsTheAuditTrail()
    {
        var store = new InMemoryMemberStore();
        store.Save(Record("m1", 1), 0, [Transition("m1", "a")]);
        store.Save(Record("m1", 2, MemberState.AtRisk), 1, [Transition("m1", "b")]);

        Assert.Equal(MemberState.AtRisk, store.Find("g1", "m1")!.State);
        Assert.Equal(["a", "b"], store.AuditTrail("g1", "m1").Select(t => t.Trigger));
        Assert.Null(store.Find("g1", "nobody"));
        Assert.Empty(store.AuditTrail("g1", "nobody"));
    }

    [Fact]
    public void Save_WithAStaleVersion_FailsWithAClearConflict_AndChangesNothing()
    {
        var store = new InMemoryMemberStore();
        store.Save(Record("m1", 1), 0, []);
        store.Save(Record("m1", 2), 1, []);

        var conflict = Assert.Throws<MemberVersionConflictException>(() => store.Save(Record("m1", 2, MemberState.Left), 1, [Transition("m1", "x")]));
        Assert.Equal((1L, 2L), (conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.Contains("'m1'", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(MemberState.Active, store.Find("g1", "m1")!.State);
        Assert.Empty(store.AuditTrail("g1", "m1"));

        Assert.Throws<MemberVersionConflictException>(() => store.Save(Record("m1", 1), 0, []));
        Assert.Throws<MemberVersionConflictException>(() => store.Save(Record("m9", 4), 3, []));
        Assert.Throws<ArgumentException>(() => store.Save(Record("m1", 5), 2, []));
    }

    [Fact]
    public void ConcurrentReadModifyWrite_WithRetries_LosesNoUpdate()
    {
        var store = new InMemoryMemberStore();
        store.Save(Record("m1", 1), 0, []);
        var conflicts = 0;
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            while (true)
            {
                var current = store.Find("g1", "m1")!;
                try
                {
                    store.Save(current with { Version = current.Version + 1 }, current.Version, [Transition("m1", $"t{i}")]);
                    return;
                }
                catch (MemberVersionConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        });

        Assert.Equal(2_001, store.Find("g1", "m1")!.Version);
        var trail = store.AuditTrail("g1", "m1");
        Assert.Equal(2_000, trail.Count);
        Assert.Equal(2_000, trail.Select(t => t.Trigger).Distinct().Count());
    }

    [Fact]
    public void ListGroup_ReturnsOnlyThatGroup_InMemberOrder()
    {
        var store = new InMemoryMemberStore();
        store.Save(Record("b", 1), 0, []);
        store.Save(Record("a", 1), 0, []);
        store.Save(Record("a", 1) with { Group = "g2" }, 0, []);

        Assert.Equal(["a", "b"], store.ListGroup("g1").Select(r => r.Member));
    }
}
