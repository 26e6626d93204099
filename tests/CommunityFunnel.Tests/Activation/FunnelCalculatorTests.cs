using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Activation;

public sealed class FunnelCalculatorTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(8));

    private static CommunityEvent Joined(string id, string member, DateTimeOffset at, string? channel, MemberRole? role = null) =>
        new(id, EventType.Joined, "g1", member, at, channel: channel, role: role);

    private static CommunityEvent Order(string id, string member, DateTimeOffset at) =>
        new(id, EventType.Order, "g1", member, at, amount: 100);

    [Fact]
    public void Steps_Rates_AndMedians_PerChannel()
    {
        var events = new[]
        {
            Joined("j1", "a", T, "poster"),
            new CommunityEvent("m1", EventType.Message, "g1", "a", T.AddHours(1)),
            Joined("j2", "b", T, "poster"),
            new CommunityEvent("m2", EventType.Checkin, "g1", "b", T.AddHours(3), task: "t"),
            Order("o2", "b", T.AddDays(3)),
            Order("o2b", "b", T.AddDays(4)),
            Joined("j3", "c", T, "poster"),
            Order("o3", "c", T.AddHours(-1)),                       // before joining: not a conversion
            Joined("j4", "d", T.AddDays(9).AddHours(20), "poster"), // pending at asOf
            Order("o4", "d", T.AddDays(9).AddHours(21)),            // a pending join can convert
            Joined("j5", "s", T, "poster", MemberRole.Staff),
            Order("o5", "s", T.AddHours(1)),
        };
        var query = new FunnelQuery(T.AddDays(10)) { Attracted = new Dictionary<string, long> { ["poster"] = 40 } };

        var report = FunnelCalculator.Calculate(events, query);

        var poster = Assert.Single(report.Rows);
        Assert.Equal("poster", poster.Key);
        Assert.Equal((40L, 4L, 3L, 1L, 2L, 2L, 1L), (poster.Attracted, poster.Joined, poster.Eligible, poster.Pending, poster.Activated, poster.Converted, poster.Excluded));
        Assert.Equal(0.1, poster.JoinRate);
        Assert.Equal(2.0 / 3, poster.ActivationRate);
        Assert.Equal(0.5, poster.ConversionRate);
        Assert.Equal(TimeSpan.FromHours(2), poster.MedianTimeToActivate);       // 1 h and 3 h
        Assert.Equal(TimeSpan.FromHours(36.5), poster.MedianTimeToConvert);     // 72 h and 1 h
        Assert.Equal(poster with { Key = "(all)" }, report.Total);
        Assert.Equal(["2026-11-01", "2026-11-11"], report.Days.Select(d => d.Key));
    }

    [Fact]
    public void FunnelActivation_AgreesWithTheActivationReport_OnRandomLogs()
    {
        var random = new Random(5);
        for (var run = 0; run < 150; run++)
        {
            var (events, asOf) = RandomLogs.Generate(random, TimeSpan.FromHours(24));
            var funnel = FunnelCalculator.Calculate(events, new FunnelQuery(asOf) { By = ActivationBreakdownBy.Group });
            var activation = ActivationCalculator.Calculate(events, new ActivationQuery(asOf) { BreakdownBy = ActivationBreakdownBy.Group });

            Assert.Equal((activation.Eligible, activation.Activated, activation.Pending, activation.Excluded),
                (funnel.Total.Eligible, funnel.Total.Activated, funnel.Total.Pending, funnel.Total.Excluded));
            Assert.Equal(activation.Breakdown.Select(r => (r.Key, r.Eligible, r.Activated, r.Pending, r.Excluded)),
                funnel.Rows.Where(r => r.Joined + r.Excluded > 0).Select(r => (r.Key, r.Eligible, r.Activated, r.Pending, r.Excluded)));
            Assert.Equal(activation.Duplicates, funnel.Duplicates);
        }
    }

    private static CommunityEvent Viewed(string id, string visitor, DateTimeOffset at, string channel, string group = "g1") =>
        new(id, EventType.InviteViewed, group, visitor, at, channel: channel);

    [Fact]
    public void Attracted_IsDistinctVisitorsPerChannel_WithTheScanToJoinRateAndItsWilsonInterval()
    {
        var events = new[]
        {
            Viewed("v1", "v-a", T.AddMinutes(-5), "poster"),
            Viewed("v2", "v-a", T.AddMinutes(-4), "poster"),          // the same visitor again: counted once
            Viewed("v3", "v-A", T.AddMinutes(-4), "poster"),          // another visitor: ids compare exactly (case too)
            Viewed("v4", "v-a", T.AddMinutes(-4), "poster", "g2"),    // the same id at another group's poster: another visitor
            Viewed("v5", "v-b", T.AddMinutes(-3), "poster"),
            Viewed("v5", "v-z", T.AddMinutes(-3), "poster"),          // a duplicate id: ignored
            Viewed("v6", "v-c", T.AddDays(10), "poster"),             // at asOf: not known yet
            Viewed("v7", "v-d", T, "moments_ad"),                     // a channel with views and no joins
            Joined("j1", "a", T, "poster"),
            Joined("j2", "b", T, "poster"),
            Joined("j3", "c", T, "instore_qr"),                        // no views: not measured
        };

        var report = FunnelCalculator.Calculate(events, new FunnelQuery(T.AddDays(10)));

        Assert.Equal(["instore_qr", "moments_ad", "poster"], report.Rows.Select(r => r.Key));
        var poster = report.Rows[2];
        Assert.Equal((4L, 2L, 2L, 0.5), (poster.Attracted, poster.AttractedJoined, poster.Joined, poster.JoinRate));
        Assert.Equal(ConfidenceInterval.Wilson95(2, 4), poster.JoinCi95);
        var instore = report.Rows[0];
        Assert.Equal(((long?)null, (long?)null, (double?)null, (ConfidenceInterval?)null, 1L), (instore.Attracted, instore.AttractedJoined, instore.JoinRate, instore.JoinCi95, instore.Joined));
        var ad = report.Rows[1];
        Assert.Equal((1L, 0L, 0L, 0.0), (ad.Attracted, ad.AttractedJoined, ad.Joined, ad.JoinRate));

        // The total counts the measured rows only: 5 visitors, 2 of the 3 joins.
        Assert.Equal((5L, 2L, 3L, 0.4), (report.Total.Attracted, report.Total.AttractedJoined, report.Total.Joined, report.Total.JoinRate));
        Assert.All(report.Days, d => Assert.Null(d.Attracted));
    }

    [Fact]
    public void Attracted_IsNotMeasured_InAV1LogWithoutViews()
    {
        var report = FunnelCalculator.Calculate([Joined("j1", "a", T, "poster")], new FunnelQuery(T.AddDays(2)));

        Assert.Null(report.Rows[0].Attracted);
        Assert.Null(report.Rows[0].JoinRate);
        Assert.Null(report.Total.Attracted);
        Assert.Contains("not measured", FunnelHtmlReport.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public void MoreJoinsThanVisitors_GivesTheRate_ButNoInterval()
    {
        var events = new[] { Viewed("v1", "v-a", T, "poster"), Joined("j1", "a", T, "poster"), Joined("j2", "b", T, "poster") };

        var row = FunnelCalculator.Calculate(events, new FunnelQuery(T.AddDays(2))).Rows[0];

        Assert.Equal((1L, 2.0), (row.Attracted, row.JoinRate));
        Assert.Null(row.JoinCi95);
    }

    [Fact]
    public void Views_FollowTheCohortRange_AndTheRowsByGroup()
    {
        var events = new[]
        {
            Viewed("v1", "v-a", T, "poster"),
            Viewed("v2", "v-b", T, "instore_qr"),
            Viewed("v3", "v-b", T, "poster"),                          // by group: one visitor of g1
            Viewed("v4", "v-c", T.AddDays(3), "poster"),               // outside [from, to)
            Viewed("v5", "v-d", T, "poster", "g2"),
        };

        var report = FunnelCalculator.Calculate(events, new FunnelQuery(T.AddDays(5)) { By = ActivationBreakdownBy.Group, From = T, To = T.AddDays(1) });

        Assert.Equal([("g1", (long?)2), ("g2", 1)], report.Rows.Select(r => (r.Key, r.Attracted)));
    }

    [Fact]
    public void Attracted_MatchesAPlainReference_OnRandomLogs()
    {
        var random = new Random(21);
        string[] channels = ["poster", "instore_qr", "moments_ad"];
        for (var run = 0; run < 100; run++)
        {
            var events = new List<CommunityEvent>();
            var asOf = T.AddDays(3);
            for (var i = 0; i < random.Next(0, 80); i++)
            {
                var at = T.AddMinutes(random.Next(-60, 60 * 24 * 4));
                var channel = channels[random.Next(channels.Length)];
                var group = "g" + random.Next(3);
                events.Add(random.Next(3) == 0
                    ? new CommunityEvent("j" + i, EventType.Joined, group, "m" + random.Next(30), at, channel: random.Next(4) == 0 ? null : channel)
                    : Viewed("v" + i, "v-" + random.Next(25), at, channel, group));
            }

            events.AddRange(events.Take(random.Next(0, 5)).ToList()); // duplicates
            var report = FunnelCalculator.Calculate(events, new FunnelQuery(asOf));

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var unique = events.Where(e => seen.Add(e.Id)).Where(e => e.At < asOf).ToList();
            var expected = unique.Where(e => e.Type == EventType.InviteViewed).GroupBy(e => e.Channel!)
                .ToDictionary(g => g.Key, g => (long)g.Select(e => e.Group + "\n" + e.Member).Distinct(StringComparer.Ordinal).Count());
            foreach (var row in report.Rows)
            {
                Assert.Equal(expected.TryGetValue(row.Key, out var n) ? n : null, row.Attracted);
                if (row.Attracted is { } a and > 0)
                {
                    Assert.Equal((double)row.Joined / a, row.JoinRate);
                    Assert.Equal(row.Joined <= a ? ConfidenceInterval.Wilson95(row.Joined, a) : null, row.JoinCi95);
                }
            }

            Assert.Equal(expected.Count == 0 ? null : expected.Values.Sum(), report.Total.Attracted);
            Assert.All(expected.Keys, k => Assert.Contains(report.Rows, r => r.Key == k));
        }
    }

    [Fact]
    public void ByDay_IsRejected_NamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => FunnelCalculator.Calculate([], new FunnelQuery(T) { By = ActivationBreakdownBy.Day }));

        Assert.Contains("By", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EscapesKeys_AndHasNoScriptOrExternalReference()
    {
        var report = FunnelCalculator.Calculate([Joined("j", "a", T, "<b>\"x\"</b>")], new FunnelQuery(T.AddDays(2)));

        var html = FunnelHtmlReport.Render(report);

        Assert.Contains("&lt;b&gt;&quot;x&quot;&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
    }
}
