using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static CommunityFunnel.Hosting.Tests.Runtime;

namespace CommunityFunnel.Hosting.Tests;

public sealed class EventIntakeTests
{
    [Fact]
    public async Task Submit_AppliesANewEventOnce_AndTheSameIdAgainIsADuplicateThatChangesNothing()
    {
        await using var rt = Build();
        var first = await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        Assert.Equal(EventIntakeOutcome.Applied, first.Outcome);
        Assert.Equal(MemberActionKind.Welcome, Assert.Single(first.Actions).Kind);
        var version = (await rt.Lifecycle.FindAsync("g1", "m1"))!.Version;

        var again = await rt.Intake.SubmitAsync(Joined("e1", "m1", T0));
        Assert.Equal(EventIntakeOutcome.Duplicate, again.Outcome);
        Assert.Empty(again.Actions);
        Assert.Equal(version, (await rt.Lifecycle.FindAsync("g1", "m1"))!.Version);
        Assert.Single(rt.Handler.Actions);
        Assert.Equal(1, ((InMemoryEventLogStore)rt.Log).Count);
    }

    [Fact]
    public async Task Submit_TheSameEventsConcurrentlyAtTwoInstancesSharingTheStores_AppliesEachEventExactlyOnce()
    {
        // Two providers = two host instances; the stores are shared, as two processes share one database.
        await using var a = Build();
        var log = a.Log;
        var members = a.Provider.GetRequiredService<IMemberStore>();
        await using var b = Build(a.Clock, s => s.AddSingleton(log).AddSingleton(members));
        Assert.Same(log, b.Log);

        var events = new List<CommunityEvent>();
        for (var i = 0; i < 200; i++)
        {
            events.Add(Joined($"j{i}", $"m{i % 50}", T0.AddMinutes(i)));
            events.Add(Message($"s{i}", $"m{i % 50}", T0.AddMinutes(i).AddSeconds(30)));
        }

        async Task<List<EventIntakeResult>> Feed(IEventIntake intake)
        {
            var results = new List<EventIntakeResult>();
            foreach (var e in events)
            {
                results.Add(await intake.SubmitAsync(e));
            }

            return results;
        }

        var feeds = await Task.WhenAll(Task.Run(() => Feed(a.Intake)), Task.Run(() => Feed(b.Intake)));
        for (var i = 0; i < events.Count; i++)
        {
            var outcomes = new[] { feeds[0][i].Outcome, feeds[1][i].Outcome };
            Assert.Equal(1, outcomes.Count(o => o == EventIntakeOutcome.Applied));
            Assert.Equal(1, outcomes.Count(o => o == EventIntakeOutcome.Duplicate));
        }

        Assert.Equal(events.Count, ((InMemoryEventLogStore)log).Count);

        // No member welcomed twice (an event applied twice would). Which join welcomes can depend on the order the two
        // instances applied a member's events in: per-member order is kept within one instance (docs/hosting.md).
        var welcomes = a.Handler.Actions.Concat(b.Handler.Actions).Where(x => x.Kind == MemberActionKind.Welcome).ToList();
        Assert.Equal(welcomes.Count, welcomes.Select(w => w.Member).Distinct().Count());
        Assert.True(welcomes.Count >= 45, $"{welcomes.Count} welcomes");

        // Every member as one instance fed the events once would leave it (the version counts the saves).
        await using var reference = Build(a.Clock);
        foreach (var e in events)
        {
            await reference.Intake.SubmitAsync(e);
        }

        for (var m = 0; m < 50; m++)
        {
            var expected = (await reference.Lifecycle.FindAsync("g1", $"m{m}"))!;
            var actual = (await members.FindAsync("g1", $"m{m}", CancellationToken.None))!;
            Assert.Equal((expected.State, expected.Version, expected.FirstActivityAt, expected.LastActivityAt, expected.Watermark),
                (actual.State, actual.Version, actual.FirstActivityAt, actual.LastActivityAt, actual.Watermark));
            Assert.Equal(
                (await reference.Provider.GetRequiredService<IMemberStore>().GetAuditTrailAsync("g1", $"m{m}", CancellationToken.None)).Count,
                (await members.GetAuditTrailAsync("g1", $"m{m}", CancellationToken.None)).Count);
        }
    }

    [Fact]
    public async Task ReadAsync_StreamsTheStoredLogInTimeOrder_AndGivesTheSameActivationRateAsTheEventsThemselves()
    {
        await using var rt = Build();
        var random = new Random(17);
        var events = new List<CommunityEvent>();
        for (var i = 0; i < 300; i++)
        {
            var joined = T0.AddMinutes(random.Next(0, 60 * 24 * 28));
            events.Add(Joined($"j{i}", $"m{i}", joined));
            if (random.Next(100) < 55)
            {
                events.Add(Message($"s{i}", $"m{i}", joined.AddMinutes(random.Next(1, 60 * 30))));
            }
        }

        // Submitted out of time order, with every tenth event twice.
        foreach (var e in events.OrderBy(_ => random.Next()).ToList())
        {
            await rt.Intake.SubmitAsync(e);
            if (random.Next(10) == 0)
            {
                Assert.Equal(EventIntakeOutcome.Duplicate, (await rt.Intake.SubmitAsync(e)).Outcome);
            }
        }

        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var to = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var read = new List<CommunityEvent>();
        await foreach (var e in rt.Log.ReadAsync(from, to, CancellationToken.None))
        {
            read.Add(e);
        }

        var expected = events.Where(e => e.At >= from && e.At < to).ToList();
        Assert.Equal(expected.Count, read.Count);
        Assert.True(read.Zip(read.Skip(1)).All(p => p.First.At <= p.Second.At), "not in time order");
        Assert.Equal(expected.Select(e => e.Id).Order(StringComparer.Ordinal), read.Select(e => e.Id).Order(StringComparer.Ordinal));

        var query = new ActivationQuery(to) { From = from, To = to, BreakdownBy = ActivationBreakdownBy.Channel };
        var fromLog = ActivationCalculator.Calculate(read, query);
        var direct = ActivationCalculator.Calculate(expected.OrderBy(e => e.At), query);
        Assert.Equal(direct.Eligible, fromLog.Eligible);
        Assert.Equal(direct.Breakdown, fromLog.Breakdown);
        Assert.Equal(direct.Activated, fromLog.Activated);
        Assert.Equal(direct.Rate, fromLog.Rate);
        Assert.True(fromLog.Eligible > 200);
    }

    [Fact]
    public async Task ReadAsync_IsHalfOpen_AndListGroupsNamesEachGroupOnce()
    {
        await using var rt = Build();
        await rt.Intake.SubmitAsync(Joined("a", "m1", T0, group: "g2"));
        await rt.Intake.SubmitAsync(Joined("b", "m2", T0.AddHours(1)));
        await rt.Intake.SubmitAsync(Joined("c", "m3", T0.AddHours(2), group: "g2"));

        var read = new List<string>();
        await foreach (var e in rt.Log.ReadAsync(T0, T0.AddHours(2), CancellationToken.None))
        {
            read.Add(e.Id);
        }

        Assert.Equal(["a", "b"], read);
        Assert.Equal(["g1", "g2"], await rt.Log.ListGroupsAsync(CancellationToken.None));
    }
}
