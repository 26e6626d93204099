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
                funnel.Rows.Select(r => (r.Key, r.Eligible, r.Activated, r.Pending, r.Excluded)));
            Assert.Equal(activation.Duplicates, funnel.Duplicates);
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
