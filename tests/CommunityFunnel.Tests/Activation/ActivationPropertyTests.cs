using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Activation;

public sealed class ActivationPropertyTests
{
    private static readonly TimeSpan[] Windows = [TimeSpan.FromHours(24), TimeSpan.FromHours(1), TimeSpan.FromMinutes(90), TimeSpan.FromDays(2)];

    [Fact]
    public void Batch_Streaming_AndReference_Agree_OnRandomLogs()
    {
        var random = new Random(20261101);
        var compared = 0;
        for (var run = 0; run < 400; run++)
        {
            var window = Windows[random.Next(Windows.Length)];
            var (events, asOf) = RandomLogs.Generate(random, window);
            var rejoin = random.Next(2) == 0 ? RejoinPolicy.First : RejoinPolicy.Every;
            var query = new ActivationQuery(asOf)
            {
                Window = window,
                Rejoin = rejoin,
                BreakdownBy = (ActivationBreakdownBy)random.Next(4),
                TimeZoneId = random.Next(2) == 0 ? "Asia/Shanghai" : "America/New_York",
                From = random.Next(3) == 0 ? RandomLogs.Start.AddHours(random.Next(0, 72)) : null,
                To = random.Next(3) == 0 ? RandomLogs.Start.AddHours(random.Next(73, 24 * 7)) : null,
                QualifyingTypes = random.Next(4) == 0 ? [EventType.Message, EventType.Left] : QualifyingActivity.DefaultTypes,
            };

            var expected = ReferenceActivation.Calculate(events, query);
            AssertSame(expected, ActivationCalculator.Calculate(events, query), run);

            var streaming = new StreamingActivationCalculator(window, rejoin, query.QualifyingTypes);
            foreach (var e in events)
            {
                streaming.Add(e);
            }

            AssertSame(expected, streaming.GetReport(query), run);

            // The same streaming state answers any other asOf too, earlier or later.
            var other = query with { AsOf = asOf.AddHours(random.Next(-48, 48)) };
            AssertSame(ReferenceActivation.Calculate(events, other), streaming.GetReport(other), run);
            compared += expected.Eligible > 0 ? 1 : 0;
        }

        Assert.True(compared > 200, $"only {compared} runs had eligible joins");
    }

    [Fact]
    public void Streaming_AnswersBetweenEvents_AsTheBatchWouldOnThePrefix()
    {
        var random = new Random(7);
        for (var run = 0; run < 60; run++)
        {
            var (events, asOf) = RandomLogs.Generate(random, TimeSpan.FromHours(24));
            var streaming = new StreamingActivationCalculator();
            for (var i = 0; i < events.Count; i++)
            {
                streaming.Add(events[i]);
                if (i % 7 == 0)
                {
                    var query = new ActivationQuery(asOf) { BreakdownBy = ActivationBreakdownBy.Channel };
                    AssertSame(ActivationCalculator.Calculate(events.Take(i + 1), query), streaming.GetReport(query), run);
                }
            }
        }
    }

    [Fact]
    public void Compaction_KeepsEveryWindowAnswer()
    {
        var random = new Random(99);
        for (var run = 0; run < 300; run++)
        {
            var window = random.Next(1, 50);
            var times = Enumerable.Range(0, random.Next(0, 40)).Select(_ => (long)random.Next(0, 200)).Order().ToArray();
            var compacted = (long[])times.Clone();
            var kept = ActivationEngine.Compact(compacted, compacted.Length, window);
            Assert.True(kept <= times.Length);
            for (long j = -60; j < 260; j++)
            {
                var full = times.Any(t => t >= j && t < j + window);
                var thin = compacted.Take(kept).Any(t => t >= j && t < j + window);
                Assert.True(full == thin, $"run {run}: window {window}, join {j}: full {full}, compacted {thin}");
            }
        }
    }

    internal static void AssertSame(ActivationReport expected, ActivationReport actual, int run)
    {
        var context = $"run {run}";
        Assert.True(expected.AsOf == actual.AsOf, context);
        Assert.True(expected.Window == actual.Window, context);
        Assert.True(expected.Eligible == actual.Eligible, $"{context}: eligible {expected.Eligible} != {actual.Eligible}");
        Assert.True(expected.Activated == actual.Activated, $"{context}: activated {expected.Activated} != {actual.Activated}");
        Assert.True(expected.Pending == actual.Pending, $"{context}: pending {expected.Pending} != {actual.Pending}");
        Assert.True(expected.Excluded == actual.Excluded, $"{context}: excluded {expected.Excluded} != {actual.Excluded}");
        Assert.True(expected.Duplicates == actual.Duplicates, $"{context}: duplicates {expected.Duplicates} != {actual.Duplicates}");
        Assert.True(expected.Rate == actual.Rate, context);
        Assert.True(expected.Ci95 == actual.Ci95, context);
        Assert.Equal(expected.Breakdown, actual.Breakdown);
    }
}
