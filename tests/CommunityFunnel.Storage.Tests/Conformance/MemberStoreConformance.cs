using CommunityFunnel.Members;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    protected static MemberRecord Member(string member, long version, MemberState state = MemberState.Active, string group = "g1") =>
        new() { Group = group, Member = member, Version = version, State = state, FirstSeenAt = T0, Watermark = T0 };

    private static MemberTransition Transition(string member, string trigger, MemberState? from = MemberState.Active) =>
        new("g1", member, from, MemberState.Active, trigger, T0);

    [StoreFact]
    public async Task Member_EveryField_RoundTrips()
    {
        var shanghai = TimeSpan.FromHours(8);
        var record = new MemberRecord
        {
            Group = "群-1",
            Member = "wx:成员 42",
            State = MemberState.AtRisk,
            Version = 1,
            JoinedAt = new DateTimeOffset(2026, 11, 1, 23, 59, 59, shanghai).AddTicks(1234567),
            LastJoinedAt = T0.AddDays(1),
            FirstSeenAt = T0.AddTicks(1),
            FirstActivityAt = T0.AddMinutes(5),
            LastActivityAt = T0.AddHours(5),
            ActivatedWithinWindow = true,
            ConvertedAt = T0.AddDays(2),
            JoinedBeforeTracking = true,
            Protected = true,
            StaffOrBot = true,
            NicknameOk = true,
            Tasks = new Dictionary<string, MemberTaskStatus> { ["intro"] = MemberTaskStatus.Submitted, ["photo"] = MemberTaskStatus.Rejected },
            RiskReason = LifecycleReason.TaskRejected,
            RiskTask = "photo",
            RemovalDeadline = T0.AddDays(3),
            RemovedAt = T0.AddDays(-30),
            Watermark = T0.AddHours(6),
            EventIdsAtWatermark = ["e1", "e2", "e3"],
            NextDeadline = T0.AddDays(3),
        };
        await Members.SaveAsync(record, 0, [new MemberTransition(record.Group, record.Member, null, MemberState.Onboarding, "e1", record.JoinedAt.Value),
            new MemberTransition(record.Group, record.Member, MemberState.Onboarding, MemberState.AtRisk, "deadline:task", T0.AddDays(1))], CancellationToken.None);

        var other = OtherHost().GetRequiredService<IMemberStore>();
        var found = await other.FindAsync(record.Group, record.Member, CancellationToken.None);
        Assert.NotNull(found);
        Same.Equal(record, found);
        var trail = await other.GetAuditTrailAsync(record.Group, record.Member, CancellationToken.None);
        Assert.Equal(2, trail.Count);
        Assert.Null(trail[0].From);
        Assert.Equal(record.JoinedAt.Value, trail[0].At);
        Assert.Equal(shanghai, trail[0].At.Offset);
        Assert.Equal(new MemberTransition(record.Group, record.Member, MemberState.Onboarding, MemberState.AtRisk, "deadline:task", T0.AddDays(1)), trail[1]);
        Assert.Null(await other.FindAsync(record.Group, "nobody", CancellationToken.None));
        Assert.Null(await other.FindAsync("other-group", record.Member, CancellationToken.None));
        Assert.Empty(await other.GetAuditTrailAsync(record.Group, "nobody", CancellationToken.None));
    }

    [StoreFact]
    public async Task Member_SaveWithTheExpectedVersion_Succeeds_AndAppendsTheAuditTrail()
    {
        await Members.SaveAsync(Member("m1", 1), 0, [Transition("m1", "a", null)], CancellationToken.None);
        await Members.SaveAsync(Member("m1", 2, MemberState.AtRisk), 1, [Transition("m1", "b")], CancellationToken.None);

        Assert.Equal(MemberState.AtRisk, (await Members.FindAsync("g1", "m1", CancellationToken.None))!.State);
        Assert.Equal(2, (await Members.FindAsync("g1", "m1", CancellationToken.None))!.Version);
        Assert.Equal(["a", "b"], (await Members.GetAuditTrailAsync("g1", "m1", CancellationToken.None)).Select(t => t.Trigger));
    }

    [StoreFact]
    public async Task Member_SaveWithAStaleVersion_FailsWithAClearConflict_AndChangesNothing()
    {
        await Members.SaveAsync(Member("m1", 1), 0, [], CancellationToken.None);
        await Members.SaveAsync(Member("m1", 2), 1, [], CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<MemberVersionConflictException>(() => Members.SaveAsync(Member("m1", 2, MemberState.Left), 1, [Transition("m1", "x")], CancellationToken.None));
        Assert.Equal((1L, 2L), (conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.Contains("'m1'", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(MemberState.Active, (await Members.FindAsync("g1", "m1", CancellationToken.None))!.State);
        Assert.Empty(await Members.GetAuditTrailAsync("g1", "m1", CancellationToken.None));

        var twice = await Assert.ThrowsAsync<MemberVersionConflictException>(() => Members.SaveAsync(Member("m1", 1), 0, [Transition("m1", "y")], CancellationToken.None));
        Assert.Equal((0L, 2L), (twice.ExpectedVersion, twice.ActualVersion));
        var missing = await Assert.ThrowsAsync<MemberVersionConflictException>(() => Members.SaveAsync(Member("m9", 4), 3, [], CancellationToken.None));
        Assert.Equal(0, missing.ActualVersion);
        Assert.Null(await Members.FindAsync("g1", "m9", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Members.SaveAsync(Member("m1", 5), 2, [], CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => Members.SaveAsync(Member("m2", 1), 1, [], CancellationToken.None));
        Assert.Empty(await Members.GetAuditTrailAsync("g1", "m1", CancellationToken.None));
    }

    [StoreFact]
    public async Task Member_ListGroup_ReturnsOnlyThatGroup_InOrdinalMemberOrder()
    {
        string[] ids = ["b", "a", "B", "é", "a1", "\uFF21", "\U0001F600"];
        foreach (var id in ids)
        {
            await Members.SaveAsync(Member(id, 1), 0, [], CancellationToken.None);
        }

        await Members.SaveAsync(Member("a", 1, group: "g2"), 0, [], CancellationToken.None);
        await Members.SaveAsync(Member("a", 2, MemberState.Left), 1, [], CancellationToken.None);

        var expected = ids.Order(StringComparer.Ordinal).ToArray();
        var listed = await Members.ListGroupAsync("g1", CancellationToken.None);
        Assert.Equal(expected, listed.Select(r => r.Member));
        Assert.Equal(MemberState.Left, listed.Single(r => r.Member == "a").State);
        Assert.Equal(["a"], (await Members.ListGroupAsync("g2", CancellationToken.None)).Select(r => r.Member));
        Assert.Empty(await Members.ListGroupAsync("g3", CancellationToken.None));
    }

    [StoreFact]
    public async Task Member_ConcurrentReadModifyWrite_FromTwoHosts_LosesNoUpdate()
    {
        await Members.SaveAsync(Member("m1", 1), 0, [], CancellationToken.None);
        IMemberStore[] stores = [Members, OtherHost().GetRequiredService<IMemberStore>()];
        const int Updates = 120;
        var conflicts = 0;
        await Parallel.ForAsync(0, Updates, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var store = stores[i % 2];
            while (true)
            {
                var current = (await store.FindAsync("g1", "m1", CancellationToken.None))!;
                try
                {
                    await store.SaveAsync(current with { Version = current.Version + 1, EventIdsAtWatermark = [.. current.EventIdsAtWatermark, $"t{i}"] }, current.Version, [Transition("m1", $"t{i}")], CancellationToken.None);
                    return;
                }
                catch (MemberVersionConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        });

        var final = (await Members.FindAsync("g1", "m1", CancellationToken.None))!;
        Assert.Equal(Updates + 1, final.Version);
        Assert.Equal(Updates, final.EventIdsAtWatermark.Distinct().Count());
        var trail = await Members.GetAuditTrailAsync("g1", "m1", CancellationToken.None);
        Assert.Equal(Updates, trail.Count);
        Assert.Equal(final.EventIdsAtWatermark, trail.Select(t => t.Trigger));
    }
}
