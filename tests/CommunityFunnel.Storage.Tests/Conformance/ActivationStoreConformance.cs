using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Storage.Tests.TestSupport;
using CommunityFunnel.Tests.Activation;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>The online activation projection's store: every store reports as ActivationCalculator over the same events.</summary>
public abstract partial class StoreConformanceTests
{
    private static readonly TimeSpan ActivationDay = TimeSpan.FromHours(24);

    protected IActivationStore Activation => Host.GetRequiredService<IActivationStore>();

    [StoreFact]
    public async Task ActivationStore_RandomStreams_InArrivalOrder_ReportAsTheCalculators()
    {
        var random = new Random(817);
        var ct = CancellationToken.None;
        var all = new List<CommunityEvent>();
        var store = Activation;
        var queries = 0;
        for (var run = 0; run < 15; run++)
        {
            // One store for all runs: each run's ids and members are its own (a prefix), so the runs add up.
            var stream = ProjectionStreams.Generate(random, ActivationDay, maxMembers: 8);
            var events = stream.Arrivals.Select(e => Renamed(e, $"r{run}-")).ToList();
            foreach (var e in events)
            {
                await store.ApplyAsync(e, ct);
            }

            all.AddRange(events);
            foreach (var query in ProjectionStreams.Queries(random, stream, ActivationDay, QualifyingActivity.DefaultTypes))
            {
                ProjectionStreams.AssertSame(ActivationCalculator.Calculate(all, query), await store.GetReportAsync(query, ct), $"run {run}, {query}");
                queries++;
            }

            foreach (var query in ProjectionStreams.FunnelQueries(random, stream, ActivationDay, QualifyingActivity.DefaultTypes))
            {
                ProjectionStreams.AssertSameFunnel(FunnelCalculator.Calculate(all, query), await store.GetFunnelReportAsync(query, ct), $"run {run}, {query}");
                queries++;
            }
        }

        Assert.True(queries >= 150, $"{queries} queries");
        Assert.True(all.Count(e => e.Type == EventType.Joined) > 100, "too few joins to compare");
    }

    [StoreFact]
    public async Task ActivationStore_LateEventsAndDuplicates_AsTheSpecSays()
    {
        var ct = CancellationToken.None;
        var store = Activation;
        Assert.True(await store.ApplyAsync(new CommunityEvent("s-a", EventType.Message, "g", "a", T0.AddHours(2)), ct)); // before its join arrives
        Assert.True(await store.ApplyAsync(new CommunityEvent("j-a", EventType.Joined, "g", "a", T0, channel: "poster"), ct));
        Assert.True(await store.ApplyAsync(new CommunityEvent("j-b", EventType.Joined, "g", "b", T0, channel: "qr"), ct));
        Assert.True(await store.ApplyAsync(new CommunityEvent("j-s", EventType.Joined, "g", "s", T0, channel: "qr", role: MemberRole.Staff), ct));
        Assert.True(await store.ApplyAsync(new CommunityEvent("s-b1", EventType.Message, "g", "b", T0 + ActivationDay), ct)); // at joinAt + W: too late
        Assert.False(await store.ApplyAsync(new CommunityEvent("j-b", EventType.Joined, "g", "b", T0.AddDays(-3), channel: "other"), ct));

        var asOf = T0.AddDays(2);
        var query = new ActivationQuery(asOf) { BreakdownBy = ActivationBreakdownBy.Channel };
        var before = await store.GetReportAsync(query, ct);
        Assert.Equal((2L, 1L, 1L, 1L), (before.Eligible, before.Activated, before.Excluded, before.Duplicates));
        Assert.Equal([("poster", 1L), ("qr", 0L)], before.Breakdown.Select(r => (r.Key, r.Activated)));

        // A late message inside b's window moves it from missed to activated; its duplicate changes nothing.
        var late = new CommunityEvent("s-b0", EventType.Checkin, "g", "b", T0 + ActivationDay - TimeSpan.FromTicks(1), task: "t");
        Assert.True(await store.ApplyAsync(late, ct));
        Assert.False(await store.ApplyAsync(late, ct));
        var after = await store.GetReportAsync(query, ct);
        Assert.Equal((2L, 2L, 2L), (after.Eligible, after.Activated, after.Duplicates));

        // As of an instant inside the windows, the joins are pending whatever arrived later.
        var open = await store.GetReportAsync(new ActivationQuery(T0.AddHours(1)) { Rejoin = RejoinPolicy.Every }, ct);
        Assert.Equal((0L, 2L, 1L), (open.Eligible, open.Pending, open.Excluded));
    }

    [StoreFact]
    public async Task ActivationStore_TwoInstancesApplyingTheSameEventsAtOnce_ApplyEachOnce()
    {
        var random = new Random(4242);
        var ct = CancellationToken.None;
        var stream = ProjectionStreams.Generate(random, ActivationDay, maxMembers: 10);
        var events = stream.Arrivals;
        var instances = new[] { Host.GetRequiredService<IActivationStore>(), OtherHost().GetRequiredService<IActivationStore>() };
        var applied = await Task.WhenAll(instances.Select(instance => Task.Run(async () =>
        {
            var n = 0;
            foreach (var e in events)
            {
                n += await instance.ApplyAsync(e, ct) ? 1 : 0;
            }

            return n;
        })));

        Assert.Equal(events.Select(e => e.Id).Distinct().Count(), applied.Sum());
        foreach (var query in ProjectionStreams.Queries(random, stream, ActivationDay, QualifyingActivity.DefaultTypes).Take(8))
        {
            var expected = ActivationCalculator.Calculate(events, query);
            var actual = await instances[1].GetReportAsync(query, ct);
            // Duplicates: each id arrived twice more (once per instance), the calculator saw each list once.
            Assert.Equal(expected.Duplicates + events.Count, actual.Duplicates);
            ProjectionStreams.AssertSame(expected, actual with { Duplicates = expected.Duplicates }, query.ToString());
        }
    }

    /// <summary>The event with its id, group and member prefixed (so that runs sharing one store do not meet).</summary>
    private static CommunityEvent Renamed(CommunityEvent e, string prefix) =>
        new(prefix + e.Id, e.Type, prefix + e.Group, e.Member, e.At, e.Channel, e.Role, e.By, e.Task, e.Amount, e.Currency, e.Nickname, e.Attribution, e.Scene);
}
