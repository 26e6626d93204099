using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit;
using static CommunityFunnel.Hosting.Tests.Runtime;

namespace CommunityFunnel.Hosting.Tests;

public sealed class ActivationProjectionIntakeTests
{
    [Fact]
    public async Task TheIntake_FeedsTheActivationProjection_OnlyWithEventsItsAppendWon()
    {
        await using var rt = Build();
        var random = new Random(3);
        var events = new List<CommunityEvent>();
        for (var i = 0; i < 120; i++)
        {
            var at = T0.AddMinutes(random.Next(0, 60 * 24 * 5));
            events.Add(Joined($"j{i}", $"m{i % 45}", at));
            if (random.Next(2) == 0)
            {
                events.Add(Message($"s{i}", $"m{i % 45}", at.AddHours(random.Next(0, 30))));
            }
        }

        foreach (var e in events.OrderByDescending(e => e.At))
        {
            await rt.Intake.SubmitAsync(e);
        }

        await rt.Intake.SubmitAsync(events[0]); // a duplicate webhook: the log refuses it, the projection never sees it

        var projection = rt.Provider.GetRequiredService<IActivationProjection>();
        var reporter = rt.Provider.GetRequiredService<IActivationReporter>();
        foreach (var by in Enum.GetValues<ActivationBreakdownBy>())
        {
            var asOf = T0.AddDays(4);
            var expected = ActivationCalculator.Calculate(events, reporter.CreateQuery(asOf) with { BreakdownBy = by });
            var actual = await projection.GetActivationReportAsync(asOf, by, CancellationToken.None);
            Assert.Equal((expected.Eligible, expected.Activated, expected.Pending, 0L), (actual.Eligible, actual.Activated, actual.Pending, actual.Duplicates));
            Assert.Equal(expected.Breakdown, actual.Breakdown);
            Assert.True(expected.Eligible > 20);
        }

        var funnel = await projection.GetFunnelReportAsync(T0.AddDays(4), ActivationBreakdownBy.Channel, CancellationToken.None);
        var expectedFunnel = FunnelCalculator.Calculate(events, reporter.CreateFunnelQuery(T0.AddDays(4)));
        Assert.Equal(expectedFunnel.Total, funnel.Total);
        Assert.Equal(expectedFunnel.Rows, funnel.Rows);
    }

    [Fact]
    public async Task WithoutAnActivationStore_TheIntakeStillApplies()
    {
        await using var rt = Build(builder: b => b.Services.RemoveAll<IActivationStore>());
        Assert.Equal(EventIntakeOutcome.Applied, (await rt.Intake.SubmitAsync(Joined("j1", "m1", T0))).Outcome);
        Assert.Throws<InvalidOperationException>(() => rt.Provider.GetRequiredService<IActivationProjection>());
    }
}
