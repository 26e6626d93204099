using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Activation;

public sealed class ActivationCalculatorTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 1, 20, 0, 0, TimeSpan.FromHours(8));

    private static CommunityEvent Joined(string id, string member, DateTimeOffset at, string group = "g1", string? channel = null, MemberRole? role = null) =>
        new(id, EventType.Joined, group, member, at, channel: channel, role: role);

    private static CommunityEvent Message(string id, string member, DateTimeOffset at, string group = "g1") =>
        new(id, EventType.Message, group, member, at);

    private static ActivationReport Run(DateTimeOffset asOf, params CommunityEvent[] events) =>
        ActivationCalculator.Calculate(events, new ActivationQuery(asOf));

    [Fact]
    public void MessageOneTickBeforeWindowEnd_Activates_AtWindowEnd_DoesNot()
    {
        var asOf = T.AddDays(3);
        var inside = Run(asOf, Joined("j", "a", T), Message("m", "a", T.AddHours(24).AddTicks(-1)));
        var atEnd = Run(asOf, Joined("j", "a", T), Message("m", "a", T.AddHours(24)));

        Assert.Equal((1, 1), (inside.Eligible, inside.Activated));
        Assert.Equal((1, 0), (atEnd.Eligible, atEnd.Activated));
        Assert.Equal(0.0, atEnd.Rate);
    }

    [Fact]
    public void MessageAtTheJoinInstant_Activates_MessageBefore_DoesNot()
    {
        Assert.Equal(1, Run(T.AddDays(2), Joined("j", "a", T), Message("m", "a", T)).Activated);
        Assert.Equal(0, Run(T.AddDays(2), Joined("j", "a", T), Message("m", "a", T.AddTicks(-1))).Activated);
    }

    [Fact]
    public void WindowEndingExactlyAtAsOf_IsEligible_OneTickLater_IsPending()
    {
        var events = new[] { Joined("j", "a", T), Message("m", "a", T.AddHours(1)) };

        var closed = Run(T.AddHours(24), events);
        var open = Run(T.AddHours(24).AddTicks(-1), events);

        Assert.Equal((1L, 1L, 0L), (closed.Eligible, closed.Activated, closed.Pending));
        Assert.Equal((0L, 0L, 1L), (open.Eligible, open.Activated, open.Pending));
        Assert.Null(open.Rate);
        Assert.Null(open.Ci95);
    }

    [Fact]
    public void JoinAtAsOf_IsIgnoredAltogether()
    {
        var report = ActivationCalculator.Calculate(
            [Joined("j", "a", T, channel: "poster")],
            new ActivationQuery(T) { BreakdownBy = ActivationBreakdownBy.Channel });

        Assert.Equal((0L, 0L, 0L), (report.Eligible, report.Pending, report.Excluded));
        Assert.Empty(report.Breakdown);
    }

    [Fact]
    public void StaffAndBots_AreExcluded_NotPendingNorEligible()
    {
        var report = Run(
            T.AddDays(2),
            Joined("j1", "staff", T, role: MemberRole.Staff),
            Joined("j2", "bot", T.AddDays(1).AddHours(23), role: MemberRole.Bot),
            Message("m1", "staff", T.AddHours(1)),
            Joined("j3", "a", T, role: MemberRole.Member));

        Assert.Equal((1L, 0L, 0L, 2L), (report.Eligible, report.Activated, report.Pending, report.Excluded));
    }

    [Fact]
    public void ActivityInAnotherGroup_OrOfAnotherMember_DoesNotCount()
    {
        var report = Run(T.AddDays(2), Joined("j", "a", T, group: "g1"), Message("m1", "a", T.AddHours(1), group: "g2"), Message("m2", "b", T.AddHours(1)));

        Assert.Equal((1L, 0L), (report.Eligible, report.Activated));
    }

    [Fact]
    public void LeavingWithoutEngaging_IsEligibleAndNotActivated()
    {
        var report = Run(T.AddDays(2), Joined("j", "a", T), new CommunityEvent("l", EventType.Left, "g1", "a", T.AddMinutes(5)));

        Assert.Equal((1L, 0L), (report.Eligible, report.Activated));
    }

    [Fact]
    public void NonQualifyingTypes_DoNotActivate_UnlessTheQueryNamesThem()
    {
        var events = new[] { Joined("j", "a", T), new CommunityEvent("n", EventType.NicknameChanged, "g1", "a", T.AddHours(1), nickname: "x") };

        Assert.Equal(0, ActivationCalculator.Calculate(events, new ActivationQuery(T.AddDays(2))).Activated);
        Assert.Equal(1, ActivationCalculator.Calculate(events, new ActivationQuery(T.AddDays(2)) { QualifyingTypes = [EventType.NicknameChanged] }).Activated);
    }

    [Fact]
    public void OutOfOrder_ActivityBeforeItsJoinInTheSequence_StillCounts()
    {
        var report = Run(T.AddDays(2), Message("m", "a", T.AddHours(3)), Joined("j", "a", T));

        Assert.Equal(1, report.Activated);
    }

    [Fact]
    public void RejoinFirst_CountsTheEarliestJoin_Every_CountsEach()
    {
        var events = new[]
        {
            Joined("j2", "a", T.AddDays(2), channel: "second"),
            Joined("j1", "a", T, channel: "first"),
            Message("m", "a", T.AddDays(2).AddHours(1)),
        };
        var asOf = T.AddDays(5);

        var first = ActivationCalculator.Calculate(events, new ActivationQuery(asOf) { BreakdownBy = ActivationBreakdownBy.Channel });
        var every = ActivationCalculator.Calculate(events, new ActivationQuery(asOf) { Rejoin = RejoinPolicy.Every, BreakdownBy = ActivationBreakdownBy.Channel });

        Assert.Equal((1L, 0L), (first.Eligible, first.Activated));
        Assert.Equal("first", Assert.Single(first.Breakdown).Key);
        Assert.Equal((2L, 1L), (every.Eligible, every.Activated));
        Assert.Equal(["first", "second"], every.Breakdown.Select(r => r.Key));
    }

    [Fact]
    public void RejoinFirst_TieAtTheSameInstant_GoesToTheSmallerIdInOrdinalOrder()
    {
        // "e10" < "e9" ordinally, whatever order the events come in.
        var a = Joined("e9", "a", T, channel: "nine", role: MemberRole.Staff);
        var b = Joined("e10", "a", T, channel: "ten");
        var query = new ActivationQuery(T.AddDays(2)) { BreakdownBy = ActivationBreakdownBy.Channel };

        foreach (var order in new[] { new[] { a, b }, new[] { b, a } })
        {
            var report = ActivationCalculator.Calculate(order, query);
            Assert.Equal("ten", Assert.Single(report.Breakdown).Key);
            Assert.Equal(0, report.Excluded);
        }
    }

    [Fact]
    public void FirstJoinAfterAsOf_MeansNoJoinYet()
    {
        var report = Run(T.AddHours(1), Joined("j", "a", T.AddHours(2)));

        Assert.Equal((0L, 0L), (report.Eligible, report.Pending));
    }

    [Fact]
    public void DuplicateIds_AreIgnoredAndCounted_NeverDoubled()
    {
        var join = Joined("j", "a", T);
        var events = new[] { join, join, Joined("j", "b", T), Message("m", "a", T.AddHours(1)), Message("m", "a", T.AddHours(2)) };

        var report = ActivationCalculator.Calculate(events, new ActivationQuery(T.AddDays(2)) { Rejoin = RejoinPolicy.Every });

        Assert.Equal((1L, 1L, 3L), (report.Eligible, report.Activated, report.Duplicates));
    }

    [Fact]
    public void Cohort_IsHalfOpenOnJoinTime()
    {
        var events = new[] { Joined("j1", "a", T), Joined("j2", "b", T.AddHours(1)), Joined("j3", "c", T.AddHours(2)) };

        var report = ActivationCalculator.Calculate(events, new ActivationQuery(T.AddDays(3)) { From = T.AddHours(1), To = T.AddHours(2) });

        Assert.Equal(1, report.Eligible);
    }

    [Fact]
    public void DayBreakdown_UsesTheZonesCalendarDay()
    {
        // 16:00Z is midnight in Shanghai.
        var utc = TimeSpan.Zero;
        var events = new[]
        {
            Joined("j1", "a", new DateTimeOffset(2026, 11, 1, 15, 59, 59, utc)),
            Joined("j2", "b", new DateTimeOffset(2026, 11, 1, 16, 0, 0, utc)),
            Joined("j3", "c", new DateTimeOffset(2026, 11, 2, 15, 0, 0, utc), role: MemberRole.Bot),
        };

        var report = ActivationCalculator.Calculate(events, new ActivationQuery(new DateTimeOffset(2026, 11, 10, 0, 0, 0, utc)) { BreakdownBy = ActivationBreakdownBy.Day });

        Assert.Equal(["2026-11-01", "2026-11-02"], report.Breakdown.Select(r => r.Key));
        Assert.Equal((1L, 1L), (report.Breakdown[1].Eligible, report.Breakdown[1].Excluded));
    }

    [Fact]
    public void DayBreakdown_OnA25HourDay_DoesNotAdd24Hours()
    {
        // New York falls back on 2026-11-01: that day runs from 04:00Z to 05:00Z the next day.
        var utc = TimeSpan.Zero;
        var events = new[]
        {
            Joined("j1", "a", new DateTimeOffset(2026, 11, 1, 4, 0, 0, utc)),
            Joined("j2", "b", new DateTimeOffset(2026, 11, 2, 4, 30, 0, utc)),
            Joined("j3", "c", new DateTimeOffset(2026, 11, 2, 5, 0, 0, utc)),
        };
        var query = new ActivationQuery(new DateTimeOffset(2026, 11, 10, 0, 0, 0, utc)) { BreakdownBy = ActivationBreakdownBy.Day, TimeZoneId = "America/New_York" };

        var report = ActivationCalculator.Calculate(events, query);

        Assert.Equal(["2026-11-01", "2026-11-02"], report.Breakdown.Select(r => r.Key));
        Assert.Equal([2L, 1L], report.Breakdown.Select(r => r.Eligible));
    }

    [Fact]
    public void ChannelBreakdown_KeysMissingChannelAsNone_AndListsKeysWithOnlyPendingOrExcludedJoins()
    {
        var events = new[]
        {
            Joined("j1", "a", T, channel: null),
            Joined("j2", "b", T.AddDays(2), channel: "poster"),
            Joined("j3", "c", T, channel: "staff-only", role: MemberRole.Staff),
        };

        var report = ActivationCalculator.Calculate(events, new ActivationQuery(T.AddDays(2).AddHours(1)) { BreakdownBy = ActivationBreakdownBy.Channel });

        Assert.Equal(["(none)", "poster", "staff-only"], report.Breakdown.Select(r => r.Key));
        Assert.Equal(new ActivationBreakdownRow("poster", 0, 0, 1, 0, null, null, new JoinAttributionCounts(1, 0, 0)), report.Breakdown[1]);
        Assert.Equal(1, report.Breakdown[2].Excluded);
    }

    [Fact]
    public void GroupBreakdown_KeysByGroupId()
    {
        var events = new[] { Joined("j1", "a", T, group: "g2"), Joined("j2", "a", T, group: "g1"), Message("m", "a", T.AddHours(1), group: "g2") };

        var report = ActivationCalculator.Calculate(events, new ActivationQuery(T.AddDays(2)) { BreakdownBy = ActivationBreakdownBy.Group });

        Assert.Equal(["g1", "g2"], report.Breakdown.Select(r => r.Key));
        Assert.Equal([0.0, 1.0], report.Breakdown.Select(r => r.Rate!.Value));
    }

    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(5, 10, 0.2366, 0.7634)]
    [InlineData(10, 10, 0.7225, 1.0)]
    [InlineData(81, 263, 0.2553, 0.3662)]
    public void Wilson95_MatchesPublishedValues(long k, long n, double lower, double upper)
    {
        var ci = ConfidenceInterval.Wilson95(k, n)!.Value;

        Assert.Equal(lower, ci.Lower, 4);
        Assert.Equal(upper, ci.Upper, 4);
    }

    [Fact]
    public void Wilson95_OfNothing_IsNull_AndBadCountsThrow()
    {
        Assert.Null(ConfidenceInterval.Wilson95(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceInterval.Wilson95(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceInterval.Wilson95(-1, 2));
    }

    [Fact]
    public void InvalidQuery_NamesEveryBadField()
    {
        var query = new ActivationQuery(T) { Window = TimeSpan.Zero, From = T, To = T, QualifyingTypes = [], TimeZoneId = "Mars/Olympus" };

        var error = Assert.Throws<ArgumentException>(() => ActivationCalculator.Calculate([], query));

        foreach (var field in new[] { "Window", "From", "QualifyingTypes", "TimeZoneId" })
        {
            Assert.Contains(field, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void InviteViewed_IsNoQualifyingType_AVisitorIsNoMember()
    {
        var query = new ActivationQuery(T) { QualifyingTypes = [EventType.Message, EventType.InviteViewed] };

        var error = Assert.Throws<ArgumentException>(() => ActivationCalculator.Calculate([], query));

        Assert.Contains("InviteViewed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streaming_RejectsAQueryWithAnotherWindow()
    {
        var streaming = new StreamingActivationCalculator(TimeSpan.FromHours(24));

        var error = Assert.Throws<ArgumentException>(() => streaming.GetReport(new ActivationQuery(T) { Window = TimeSpan.FromHours(2) }));
        Assert.Contains("Window", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streaming_ChattyMember_KeepsAFewInstantsNotEveryMessage()
    {
        var streaming = new StreamingActivationCalculator();
        streaming.Add(Joined("j", "a", T));
        for (var i = 0; i < 10_000; i++)
        {
            streaming.Add(Message("m" + i, "a", T.AddMinutes(i)));
        }

        var report = streaming.GetReport(T.AddDays(30));

        Assert.Equal((1L, 1L), (report.Eligible, report.Activated));
        Assert.Equal(10_001, streaming.Events);
    }

    [Fact]
    public void Streaming_SizedUpFront_GivesTheSameReport_AndRejectsANegativeSize()
    {
        var events = new[] { Joined("j1", "a", T), Message("m1", "a", T.AddHours(2)), Joined("j2", "b", T) };
        var sized = new StreamingActivationCalculator(expectedEvents: 1_000);
        var small = new StreamingActivationCalculator();
        foreach (var e in events)
        {
            sized.Add(e);
            small.Add(e);
        }

        Assert.Equal((2L, 1L), (sized.GetReport(T.AddDays(2)).Eligible, sized.GetReport(T.AddDays(2)).Activated));
        Assert.Equal(small.GetReport(T.AddDays(2)) with { Breakdown = [] }, sized.GetReport(T.AddDays(2)) with { Breakdown = [] });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingActivationCalculator(expectedEvents: -1));
    }
}
