using CommunityFunnel.Members;

namespace CommunityFunnel.Tests.Members;

public sealed class MemberStoreTests
{
    private static MemberRecord Record(string member, long version, MemberState state = MemberState.Active) =>
        new() { Group = "g1", Member = member, Version = version, State = state, FirstSeenAt = LifecycleTestKit.T0 };

    private static MemberTransition Transition(string member, string trigger) =>
        new("g1", member, MemberState.Active, MemberState.Active, trigger, LifecycleTestKit.T0);

    [Fact]
    public async Task Save_WithTheExpectedVersion_Succeeds_AndAppendsTheAuditTrail()
    {
        var store = new InMemoryMemberStore();
        await store.SaveAsync(Record("m1", 1), 0, [Transition("m1", "a")], CancellationToken.None);
        await store.SaveAsync(Record("m1", 2, MemberState.AtRisk), 1, [Transition("m1", "b")], CancellationToken.None);

        Assert.Equal(MemberState.AtRisk, (await store.FindAsync("g1", "m1", CancellationToken.None))!.State);
        Assert.Equal(["a", "b"], (await store.GetAuditTrailAsync("g1", "m1", CancellationToken.None)).Select(t => t.Trigger));
        Assert.Null(await store.FindAsync("g1", "nobody", CancellationToken.None));
        Assert.Empty(await store.GetAuditTrailAsync("g1", "nobody", CancellationToken.None));
    }

    [Fact]
    public async Task Save_WithAStaleVersion_FailsWithAClearConflict_AndChangesNothing()
    {
        var store = new InMemoryMemberStore();
        await store.SaveAsync(Record("m1", 1), 0, [], CancellationToken.None);
        await store.SaveAsync(Record("m1", 2), 1, [], CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<MemberVersionConflictException>(() => store.SaveAsync(Record("m1", 2, MemberState.Left), 1, [Transition("m1", "x")], CancellationToken.None));
        Assert.Equal((1L, 2L), (conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.Contains("'m1'", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(MemberState.Active, (await store.FindAsync("g1", "m1", CancellationToken.None))!.State);
        Assert.Empty(await store.GetAuditTrailAsync("g1", "m1", CancellationToken.None));

        await Assert.ThrowsAsync<MemberVersionConflictException>(() => store.SaveAsync(Record("m1", 1), 0, [], CancellationToken.None));
        await Assert.ThrowsAsync<MemberVersionConflictException>(() => store.SaveAsync(Record("m9", 4), 3, [], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(Record("m1", 5), 2, [], CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentReadModifyWrite_WithRetries_LosesNoUpdate()
    {
        var store = new InMemoryMemberStore();
        await store.SaveAsync(Record("m1", 1), 0, [], CancellationToken.None);
        var conflicts = 0;
        await Parallel.ForAsync(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            while (true)
            {
                var current = (await store.FindAsync("g1", "m1", CancellationToken.None))!;
                try
                {
                    await store.SaveAsync(current with { Version = current.Version + 1 }, current.Version, [Transition("m1", $"t{i}")], CancellationToken.None);
                    return;
                }
                catch (MemberVersionConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        });

        Assert.Equal(2_001, (await store.FindAsync("g1", "m1", CancellationToken.None))!.Version);
        var trail = await store.GetAuditTrailAsync("g1", "m1", CancellationToken.None);
        Assert.Equal(2_000, trail.Count);
        Assert.Equal(2_000, trail.Select(t => t.Trigger).Distinct().Count());
    }

    [Fact]
    public async Task ListGroup_ReturnsOnlyThatGroup_InMemberOrder()
    {
        var store = new InMemoryMemberStore();
        await store.SaveAsync(Record("b", 1), 0, [], CancellationToken.None);
        await store.SaveAsync(Record("a", 1), 0, [], CancellationToken.None);
        await store.SaveAsync(Record("a", 1) with { Group = "g2" }, 0, [], CancellationToken.None);

        Assert.Equal(["a", "b"], (await store.ListGroupAsync("g1", CancellationToken.None)).Select(r => r.Member));
    }
}
