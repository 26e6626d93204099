using CommunityFunnel.Activation;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Tests.Activation;

public sealed class SimulatedLogActivationTests
{
    [Fact]
    public void SimulatedMonth_WithRetriesAndLateEvents_BatchStreamingAndReferenceAgree()
    {
        var options = new SimulationOptions { Members = 400, Days = 10, Seed = 4, DuplicateRate = 0.02, OutOfOrderRate = 0.05 };
        var events = CommunitySimulator.Generate(options).ToList();
        var asOf = new DateTimeOffset(2026, 11, 8, 12, 0, 0, TimeSpan.FromHours(8));
        var streaming = new StreamingActivationCalculator();
        foreach (var e in events)
        {
            streaming.Add(e);
        }

        foreach (var by in Enum.GetValues<ActivationBreakdownBy>())
        {
            var query = new ActivationQuery(asOf) { BreakdownBy = by };
            var expected = ReferenceActivation.Calculate(events, query);

            ActivationPropertyTests.AssertSame(expected, ActivationCalculator.Calculate(events, query), (int)by);
            ActivationPropertyTests.AssertSame(expected, streaming.GetReport(query), (int)by);
            Assert.True(expected.Eligible > 100 && expected.Activated > 0 && expected.Pending > 0 && expected.Duplicates > 0);
        }
    }
}
