using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Reports;

namespace CommunityFunnel.Tests.Reports;

/// <summary>The cohort views of docs/reports.md, each against a plain reference on seeded random logs, and edge cases.</summary>
public sealed class CommunityReportTests
{
    private static readonly EventType[] Activity = [.. QualifyingActivity.DefaultTypes];

    private static CommunityEvent E(string id, EventType type, string member, string at, string group = "g1", string? by = null, MemberRole? role = null) =>
        new(id, type, group, member, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture),
            channel: type is EventType.Joined or EventType.InviteViewed ? "poster" : null, role: type == EventType.Joined ? role : null, by: by,
            task: CommunityEvent.RequiresTask(type) ? "t" : null, amount: type == EventType.Order ? 100 : null);

    [Fact]
    public void EmptyLog_GivesEmptyViews_AndAZeroHeatmap()
    {
        var report = CommunityReportCalculator.Calculate([], new CommunityReportQuery(DateTimeOffset.UnixEpoch.AddYears(56)));

        Assert.Empty(report.Retention);
        Assert.Empty(report.Lifecycle);
        Assert.Empty(report.Growth);
        Assert.Empty(report.TopInviters);
        Assert.Null(report.AtRisk);
        Assert.Equal(7, report.Messages.Counts.Count);
        Assert.All(report.Messages.Counts, row => Assert.Equal(new long[24], row));
    }

    [Fact]
    public void AMemberWhoLeavesAndRejoins_IsNotRetainedTheWeekTheyLeft_AndResurrectsWhenBack()
    {
        // Weeks (Asia/Shanghai) start Monday 2026-11-02, 11-09, 11-16, 11-23.
        var events = new[]
        {
            E("j1", EventType.Joined, "a", "2026-11-02T10:00:00+08:00", by: "m-inviter"),
            E("m1", EventType.Message, "a", "2026-11-02T11:00:00+08:00"),
            E("m2", EventType.Message, "a", "2026-11-10T11:00:00+08:00"),
            E("l1", EventType.Left, "a", "2026-11-11T11:00:00+08:00"),     // active in week 1, but gone at its end
            E("j2", EventType.Joined, "a", "2026-11-24T09:00:00+08:00", by: "m-inviter"),
            E("m3", EventType.Message, "a", "2026-11-24T10:00:00+08:00"),
            E("j3", EventType.Joined, "b", "2026-11-03T10:00:00+08:00"),
            E("c3", EventType.Checkin, "b", "2026-11-16T10:00:00+08:00"),
            E("s1", EventType.Joined, "staff", "2026-11-02T09:00:00+08:00", role: MemberRole.Staff),
            E("s2", EventType.Message, "staff", "2026-11-02T09:00:00+08:00"),
        };

        var report = CommunityReportCalculator.Calculate(events, new CommunityReportQuery(DateTimeOffset.Parse("2026-11-25T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)));

        var cohort = Assert.Single(report.Retention);
        Assert.Equal(new DateOnly(2026, 11, 2), cohort.Week);
        Assert.Equal(2, cohort.Members);
        Assert.Equal([1L, 0, 1, 1], cohort.Retained); // a; nobody (a left); b; a again
        Assert.Equal(0.5, cohort.Rate(0));
        Assert.Null(cohort.Rate(4));

        Assert.Equal(
            [(new DateOnly(2026, 11, 2), 1L, 0L, 0L, 0L), (new DateOnly(2026, 11, 9), 0, 1, 0, 0), (new DateOnly(2026, 11, 16), 0, 0, 1, 1), (new DateOnly(2026, 11, 23), 0, 0, 1, 1)],
            report.Lifecycle.Select(w => (w.Week, w.New, w.Returning, w.Resurrecting, w.Dormant)));

        Assert.Equal((1L, 0L, 1L), Day(report, 2026, 11, 2));
        Assert.Equal((0L, 1L, -1L), Day(report, 2026, 11, 11));
        Assert.Equal((1L, 0L, 1L), Day(report, 2026, 11, 24));
        Assert.Equal(new DateOnly(2026, 11, 24), report.Growth[^1].Date);

        Assert.Equal(3, report.Messages.Total); // the staff member's message is left out
        Assert.Equal(new InviterRow("m-inviter", 1, 1), Assert.Single(report.TopInviters)); // one member, invited twice, in at asOf
    }

    private static (long Joined, long Left, long Net) Day(CommunityReport report, int y, int m, int d)
    {
        var day = report.Growth.Single(g => g.Date == new DateOnly(y, m, d));
        return (day.Joined, day.Left + day.Removed, day.Net);
    }

    [Fact]
    public void DstWeek_HoursAndWeekBoundariesAreLocal_NotFixedOffsets()
    {
        // America/New_York falls back on Sunday 2026-11-01: 01:00-02:00 happens twice (EDT, then EST).
        var events = new[]
        {
            E("j1", EventType.Joined, "a", "2026-10-26T12:00:00-04:00"),
            E("m1", EventType.Message, "a", "2026-11-01T01:30:00-04:00"), // first 01:30 (EDT)
            E("m2", EventType.Message, "a", "2026-11-01T01:30:00-05:00"), // second 01:30 (EST)
            E("m3", EventType.Message, "a", "2026-11-02T04:59:00Z"),      // Sunday 23:59 EST: still the week of 10-26
            E("m4", EventType.Message, "a", "2026-11-02T05:00:00Z"),      // Monday 00:00 EST: the week of 11-02
        };

        var report = CommunityReportCalculator.Calculate(events, new CommunityReportQuery(DateTimeOffset.Parse("2026-11-03T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) { TimeZoneId = "America/New_York" });

        Assert.Equal(2, report.Messages.At(DayOfWeek.Sunday, 1));
        Assert.Equal(1, report.Messages.At(DayOfWeek.Sunday, 23));
        Assert.Equal(1, report.Messages.At(DayOfWeek.Monday, 0));
        Assert.Equal([new DateOnly(2026, 10, 26), new DateOnly(2026, 11, 2)], report.Lifecycle.Select(w => w.Week));
        Assert.Equal([1L, 1], report.Retention[0].Retained);
        Assert.Equal(new DateOnly(2026, 11, 1), report.Growth.Single(g => g.Joined == 0 && g.Date.Day == 1).Date);

        // Spring forward in Europe/Berlin (2026-03-29, 02:00 -> 03:00): hour 2 does not exist that day.
        var spring = CommunityReportCalculator.Calculate(
            [E("j", EventType.Joined, "b", "2026-03-29T00:30:00Z"), E("m", EventType.Message, "b", "2026-03-29T01:00:00Z")],
            new CommunityReportQuery(DateTimeOffset.Parse("2026-03-30T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) { TimeZoneId = "Europe/Berlin" });
        Assert.Equal(1, spring.Messages.At(DayOfWeek.Sunday, 3));
        Assert.Equal(0, spring.Messages.At(DayOfWeek.Sunday, 2));
    }

    [Fact]
    public void AtRisk_ComesFromTheLifecycleRecords_ByDeadline()
    {
        var at = DateTimeOffset.Parse("2026-11-05T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        MemberRecord R(string member, MemberState state, DateTimeOffset? deadline, bool staff = false) =>
            new() { Group = "g1", Member = member, State = state, RiskReason = LifecycleReason.Inactive, RemovalDeadline = deadline, StaffOrBot = staff };

        var report = CommunityReportCalculator.Calculate([], new CommunityReportQuery(at), [
            R("late", MemberState.AtRisk, at.AddDays(2)), R("ok", MemberState.Active, null), R("soon", MemberState.AtRisk, at.AddHours(1)),
            R("staff", MemberState.AtRisk, at, staff: true), R("undated", MemberState.AtRisk, null)]);

        Assert.Equal(["soon", "late", "undated"], report.AtRisk!.Select(m => m.Member));
        Assert.Equal((LifecycleReason.Inactive, at.AddHours(1)), (report.AtRisk![0].Reason, report.AtRisk[0].RemovalDeadline));
    }

    [Fact]
    public void InvalidQuery_NamesEveryBadField()
    {
        var query = new CommunityReportQuery(DateTimeOffset.UnixEpoch) { TimeZoneId = "Mars/Olympus", ActivityTypes = [EventType.InviteViewed], MaxWeeksLater = -1, TopInviters = -1 };

        var error = Assert.Throws<ArgumentException>(() => CommunityReportCalculator.Calculate([], query));

        foreach (var field in new[] { "TimeZoneId", "ActivityTypes", "MaxWeeksLater", "TopInviters" })
        {
            Assert.Contains(field, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Asia/Shanghai")]
    [InlineData("America/New_York")]
    [InlineData("Europe/Berlin")]
    [InlineData("Pacific/Chatham")]
    public void EveryView_MatchesAPlainReference_OnRandomLogs(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var random = new Random(zoneId.Length * 31);
        long later = 0, resurrecting = 0, dormant = 0, removed = 0, inviters = 0;
        for (var run = 0; run < 60; run++)
        {
            var (events, asOf) = RandomLog(random);
            var query = new CommunityReportQuery(asOf) { TimeZoneId = zoneId, MaxWeeksLater = random.Next(0, 8), TopInviters = random.Next(0, 6) };

            var report = CommunityReportCalculator.Calculate(events, query);
            var reference = new Reference(events, asOf, zone, query.MaxWeeksLater, query.TopInviters);

            Assert.Equal(reference.Retention(), report.Retention.Select(c => (c.Week, c.Members, string.Join(",", c.Retained))));
            Assert.Equal(reference.Lifecycle(), report.Lifecycle.Select(w => (w.Week, w.New, w.Returning, w.Resurrecting, w.Dormant)));
            Assert.Equal(reference.Growth(), report.Growth.Select(g => (g.Date, g.Joined, g.Left, g.Removed)));
            Assert.Equal(reference.Heatmap(), report.Messages.Counts.Select(r => string.Join(",", r)));
            Assert.Equal(reference.Inviters(), report.TopInviters.Select(i => (i.Inviter, i.Invited, i.StillIn)));
            later += report.Retention.Sum(c => c.Retained.Skip(1).Sum());
            resurrecting += report.Lifecycle.Sum(w => w.Resurrecting);
            dormant += report.Lifecycle.Sum(w => w.Dormant);
            removed += report.Growth.Sum(g => g.Removed);
            inviters += report.TopInviters.Count;
        }

        // The logs exercise every part of the definitions, not only their empty cases.
        Assert.All(new[] { later, resurrecting, dormant, removed, inviters }, n => Assert.True(n > 0));
    }

    private static (List<CommunityEvent> Events, DateTimeOffset AsOf) RandomLog(Random random)
    {
        var start = new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);
        var events = new List<CommunityEvent>();
        var id = 0;
        EventType[] types = [EventType.Joined, EventType.Joined, EventType.Left, EventType.Removed, EventType.Message, EventType.Message, EventType.Message,
            EventType.Checkin, EventType.Order, EventType.TaskApproved, EventType.InviteViewed, EventType.NicknameChanged];
        var count = random.Next(0, 200);
        for (var i = 0; i < count; i++)
        {
            var type = types[random.Next(types.Length)];
            var member = random.Next(12) == 0 ? "staff-1" : "m" + random.Next(15);
            var group = "g" + random.Next(2);
            var at = start.AddMinutes(random.Next(0, 60 * 24 * 50)).ToOffset(TimeSpan.FromHours(random.Next(-5, 9)));
            var role = type == EventType.Joined && member.StartsWith("staff", StringComparison.Ordinal) ? MemberRole.Staff : (MemberRole?)null;
            var by = type == EventType.Joined && random.Next(2) == 0 ? "m" + random.Next(5) : null;
            events.Add(new CommunityEvent("e" + id++, type, group, member, at,
                channel: type is EventType.Joined or EventType.InviteViewed ? "poster" : null, role: role, by: by,
                task: CommunityEvent.RequiresTask(type) ? "t" : null, amount: type == EventType.Order ? 1 : null,
                nickname: type == EventType.NicknameChanged ? "n" : null));
        }

        // Duplicates, some with other content (the first wins), and simultaneous joins and leaves.
        for (var k = 0; k < random.Next(0, 6) && events.Count > 0; k++)
        {
            var o = events[random.Next(events.Count)];
            events.Add(random.Next(2) == 0 ? o : new CommunityEvent(o.Id, EventType.Message, o.Group, o.Member, o.At.AddDays(1)));
        }

        if (events.Count > 0 && random.Next(2) == 0)
        {
            var o = events[random.Next(events.Count)];
            events.Add(new CommunityEvent("e" + id++, EventType.Left, o.Group, o.Member, o.At));
        }

        for (var i = events.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (events[i], events[j]) = (events[j], events[i]);
        }

        return (events, start.AddMinutes(random.Next(60, 60 * 24 * 55)));
    }

    /// <summary>The definitions of docs/reports.md, written out directly with LINQ over the whole log.</summary>
    private sealed class Reference
    {
        private readonly List<CommunityEvent> _events;
        private readonly DateTimeOffset _asOf;
        private readonly TimeZoneInfo _zone;
        private readonly int _maxWeeks;
        private readonly int _top;
        private readonly List<(string Group, string Member)> _members;

        public Reference(List<CommunityEvent> events, DateTimeOffset asOf, TimeZoneInfo zone, int maxWeeks, int top)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            _events = events.Where(e => seen.Add(e.Id)).Where(e => e.At < asOf && e.Type != EventType.InviteViewed).ToList();
            _asOf = asOf;
            _zone = zone;
            _maxWeeks = maxWeeks;
            _top = top;
            var staff = _events.Where(e => e.Type == EventType.Joined && e.EffectiveRole != MemberRole.Member).Select(e => (e.Group, e.Member)).ToHashSet();
            _members = _events.Select(e => (e.Group, e.Member)).Distinct().Where(p => !staff.Contains(p)).ToList();
        }

        private DateOnly Date(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, _zone).DateTime);

        private DateOnly Monday(DateTimeOffset at)
        {
            var d = Date(at);
            while (d.DayOfWeek != DayOfWeek.Monday)
            {
                d = d.AddDays(-1);
            }

            return d;
        }

        private IEnumerable<CommunityEvent> Of((string Group, string Member) p) => _events.Where(e => e.Group == p.Group && e.Member == p.Member);

        private DateTimeOffset? FirstJoin((string, string) p) => Of(p).Where(e => e.Type == EventType.Joined).Select(e => (DateTimeOffset?)e.At).Min();

        private bool ActiveIn((string, string) p, DateOnly monday) =>
            Of(p).Any(e => Activity.Contains(e.Type) && e.At >= FirstJoin(p) && Monday(e.At) == monday);

        private bool InAfterWeek((string, string) p, DateOnly monday)
        {
            var last = Of(p).Where(e => e.Type is EventType.Joined or EventType.Left or EventType.Removed && Monday(e.At) <= monday)
                .OrderBy(e => e.AtUtcTicks).ThenBy(e => e.Id, StringComparer.Ordinal).LastOrDefault();
            return last?.Type == EventType.Joined;
        }

        private List<(string, string)> Joined => _members.Where(p => FirstJoin(p) is not null).ToList();

        public IEnumerable<(DateOnly, long, string)> Retention()
        {
            var lastWeek = Monday(_asOf.AddTicks(-1));
            return Joined.GroupBy(p => Monday(FirstJoin(p)!.Value)).OrderBy(g => g.Key).Select(g =>
            {
                var weeks = Math.Min(_maxWeeks, (lastWeek.DayNumber - g.Key.DayNumber) / 7) + 1;
                var retained = Enumerable.Range(0, weeks).Select(k => g.Count(p => ActiveIn(p, g.Key.AddDays(7 * k)) && InAfterWeek(p, g.Key.AddDays(7 * k))));
                return (g.Key, (long)g.Count(), string.Join(",", retained));
            }).ToList();
        }

        public IEnumerable<(DateOnly, long, long, long, long)> Lifecycle()
        {
            var joined = Joined;
            if (joined.Count == 0)
            {
                return [];
            }

            var rows = new List<(DateOnly, long, long, long, long)>();
            for (var w = joined.Min(p => Monday(FirstJoin(p)!.Value)); w <= Monday(_asOf.AddTicks(-1)); w = w.AddDays(7))
            {
                var week = w;
                long n = 0, ret = 0, res = 0, dor = 0;
                foreach (var p in joined)
                {
                    bool now = ActiveIn(p, week), before = ActiveIn(p, week.AddDays(-7));
                    var joinWeek = Monday(FirstJoin(p)!.Value);
                    if (now && joinWeek == week) { n++; }
                    else if (now && before) { ret++; }
                    else if (now) { res++; }
                    else if (before) { dor++; }
                }

                rows.Add((week, n, ret, res, dor));
            }

            return rows;
        }

        public IEnumerable<(DateOnly, long, long, long)> Growth()
        {
            var counted = _events.Where(e => e.Type is EventType.Joined or EventType.Left or EventType.Removed && _members.Contains((e.Group, e.Member))).ToList();
            if (counted.Count == 0)
            {
                return [];
            }

            var from = counted.Min(e => Date(e.At));
            var to = new[] { counted.Max(e => Date(e.At)), Date(_asOf.AddTicks(-1)) }.Max();
            var rows = new List<(DateOnly, long, long, long)>();
            for (var d = from; d <= to; d = d.AddDays(1))
            {
                var day = d;
                rows.Add((day, counted.Count(e => e.Type == EventType.Joined && Date(e.At) == day), counted.Count(e => e.Type == EventType.Left && Date(e.At) == day),
                    counted.Count(e => e.Type == EventType.Removed && Date(e.At) == day)));
            }

            return rows;
        }

        public IEnumerable<string> Heatmap()
        {
            DayOfWeek[] order = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];
            var messages = _events.Where(e => e.Type == EventType.Message && _members.Contains((e.Group, e.Member))).Select(e => TimeZoneInfo.ConvertTime(e.At, _zone)).ToList();
            return order.Select(day => string.Join(",", Enumerable.Range(0, 24).Select(h => messages.Count(m => m.DayOfWeek == day && m.Hour == h)))).ToList();
        }

        public IEnumerable<(string, long, long)> Inviters() =>
            _events.Where(e => e.Type == EventType.Joined && e.By is not null && _members.Contains((e.Group, e.Member)))
                .GroupBy(e => e.By!, StringComparer.Ordinal)
                .Select(g =>
                {
                    var invited = g.Select(e => (e.Group, e.Member)).Distinct().ToList();
                    return (g.Key, (long)invited.Count, (long)invited.Count(p => InAfterWeek(p, DateOnly.MaxValue.AddDays(-7))));
                })
                .OrderByDescending(r => r.Item2).ThenBy(r => r.Key, StringComparer.Ordinal).Take(_top).ToList();
    }
}
