using CommunityFunnel.Members;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static MemberRecord Member(string member, long version, MemberState state = MemberState.Active, string group = "g1") =>
        new() { Group = group, Member = member, Version = version, State = state, FirstSeenAt = T0, Watermark = T0 };

    private static MemberTransition Transition(string member, string trigger, MemberState? from = MemberState.Active) =>
        new("g1", member, from, MemberState.Active, trigger, T0);

    [StoreFact]
    public void Member_EveryField_RoundTrips()
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
        Members.Save(record, 0, [new MemberTransition(record.Group, record.Member, null, MemberState.Onboarding, "e1", record.JoinedAt.Value),
            new MemberTransition(record.Group, record.Member, MemberState.Onboarding, MemberState.AtRisk, "deadline:task", T0.AddDays(1))]);

        var other = OtherHost().GetRequiredService<IMemberStore>();
        var found = other.Find(record.Group, record.Member);
        Assert.NotNull(found);
        Same.Equal(record, found);
        var trail = other.AuditTrail(record.Group, record.Member);
        Assert.Equal(2, trail.Count);
        Assert.Null(trail[0].From);
        Assert.Equal(record.JoinedAt.Value, trail[0].At);
        Assert.Equal(shanghai, trail[0].At.Offset);
        Assert.Equal(new MemberTransition(record.Group, record.Member, MemberState.Onboarding, MemberState.AtRisk, "deadline:task", T0.AddDays(1)), trail[1]);
        Assert.Null(other.Find(record.Group, "nobody"));
        Assert.Null(other.Find("other-group", record.Member));
        Assert.Empty(other.AuditTrail(record.Group, "nobody"));
    }

    [StoreFact]
    public void Member_SaveWithTheExpectedVersion_Succeeds_AndAppendsTheAuditTrail()
    {
        Members.Save(Member("m1", 1), 0, [Transition("m1", "a", null)]);
        Members.Save(Member("m1", 2, MemberState.AtRisk), 1, [Transition("m1", "b")]);

        Assert.Equal(MemberState.AtRisk, Members.Find("g1", "m1")!.State);
        Assert.Equal(2, Members.Find("g1", "m1")!.Version);
        Assert.Equal(["a", "b"], Members.AuditTrail("g1", "m1").Select(t => t.Trigger));
    }

    [StoreFact]
    public void Member_SaveWithAStaleVersion_FailsWithAClearConflict_AndChangesNothing()
    {
        Members.Save(Member("m1", 1), 0, []);
        Members.Save(Member("m1", 2), 1, []);

        var conflict = Assert.Throws<MemberVersionConflictException>(() => Members.Save(Member("m1", 2, MemberState.Left), 1, [Transition("m1", "x")]));
        Assert.Equal((1L, 2L), (conflict.ExpectedVersion, conflict.ActualVersion));
        Assert.Contains("'m1'", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(MemberState.Active, Members.Find("g1", "m1")!.State);
        Assert.Empty(Members.AuditTrail("g1", "m1"));

        var twice = Assert.Throws<MemberVersionConflictException>(() => Members.Save(Member("m1", 1), 0, [Transition("m1", "y")]));
        Assert.Equal((0L, 2L), (twice.ExpectedVersion, twice.ActualVersion));
        var missing = Assert.Throws<MemberVersionConflictException>(() => Members.Save(Member("m9", 4), 3, []));
        Assert.Equal(0, missing.ActualVersion);
        Assert.Null(Members.Find("g1", "m9"));
        Assert.Throws<ArgumentException>(() => Members.Save(Member("m1", 5), 2, []));
        Assert.Throws<ArgumentException>(() => Members.Save(Member("m2", 1), 1, []));
        Assert.Empty(Members.AuditTrail("g1", "m1"));
    }

    [StoreFact]
    public void Member_ListGroup_ReturnsOnlyThatGroup_InOrdinalMemberOrder()
    {
        string[] ids = ["b", "a", "B", "é", "a1", "\uFF21", "\U0001F600"];
        foreach (var id in ids)
        {
            Members.Save(Member(id, 1), 0, []);
        }

        Members.Save(Member("a", 1, group: "g2"), 0, []);
        Members.Save(Member("a", 2, MemberState.Left), 1, []);

        var expected = ids.Order(StringComparer.Ordinal).ToArray();
        var listed = Members.ListGroup("g1");
        Assert.Equal(expected, listed.Select(r => r.Member));
        Assert.Equal(MemberState.Left, listed.Single(r => r.Member == "a").State);
        Assert.Equal(["a"], Members.ListGroup("g2").Select(r => r.Member));
        Assert.Empty(Members.ListGroup("g3"));
    }

    [StoreFact]
    public void Member_ConcurrentReadModifyWrite_FromTwoHosts_LosesNoUpdate()
    {
        Members.Save(Member("m1", 1), 0, []);
        IMemberStore[] stores = [Members, OtherHost().GetRequiredService<IMemberStore>()];
        const int Updates = 120;
        var conflicts = 0;
        Parallel.For(0, Updates, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var store = stores[i % 2];
            while (true)
            {
                var current = store.Find("g1", "m1")!;
                try
                {
                    store.Save(current with { Version = current.Version + 1, EventIdsAtWatermark = [.. current.EventIdsAtWatermark, $"t{i}"] }, current.Version, [Transition("m1", $"t{i}")]);
                    return;
                }
                catch (MemberVersionConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        });

        var final = Members.Find("g1", "m1")!;
        Assert.Equal(Updates + 1, final.Version);
        Assert.Equal(Updates, final.EventIdsAtWatermark.Distinct().Count());
        var trail = Members.AuditTrail("g1", "m1");
        Assert.Equal(Updates, trail.Count);
        Assert.Equal(final.EventIdsAtWatermark, trail.Select(t => t.Trigger));
    }
}
