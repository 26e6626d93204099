using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Hosting;
using CommunityFunnel.Members;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

/// <summary>CommunityFunnel.Hosting's event log on SQL: the database's unique key decides new or duplicate.</summary>
public abstract partial class SqlStoreConformanceTests
{
    /// <summary>The event log's schema version: migration 5.</summary>
    protected const long EventLogMigration = 5;

    /// <summary>The last migration: 11, the online activation projection.</summary>
    protected const long LastMigration = 12;

    private sealed class Welcomes : IMemberActionHandler
    {
        public List<string> Members { get; } = [];

        /// <summary>The outbox ids delivered to this instance, in delivery order.</summary>
        public List<string> Delivered { get; } = [];

        public Task HandleAsync(MemberAction action, MemberActionDelivery delivery, CancellationToken cancellationToken)
        {
            lock (Members)
            {
                Delivered.Add(delivery.ActionId);
            }

            return HandleAsync(action, cancellationToken);
        }

        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
        {
            if (action.Kind == MemberActionKind.Welcome)
            {
                lock (Members)
                {
                    Members.Add(action.Member);
                }
            }

            return Task.CompletedTask;
        }
    }

    private ServiceProvider RuntimeInstance(Welcomes welcomes) => NewProvider((_, b) => b
        .ConfigureLifecycle(o => o.DefaultPolicy = new LifecyclePolicy { NicknamePattern = "^[^-]+-[^-]+-[^-]+$" })
        .AddMemberActionHandler(welcomes)
        .AddHostedRuntime(o =>
        {
            o.RunScheduler = false;
            o.Outbox.PollPeriod = TimeSpan.FromMilliseconds(20);
        }));

    private static List<CommunityEvent> Month(int count, int seed)
    {
        var random = new Random(seed);
        var events = new List<CommunityEvent>();
        for (var i = 0; i < count; i++)
        {
            var joined = T0.AddMinutes(random.Next(0, 60 * 24 * 20));
            events.Add(new CommunityEvent($"j{i}", EventType.Joined, "g1", $"m{i % 40}", joined, channel: i % 2 == 0 ? "poster" : "link"));
            if (random.Next(100) < 55)
            {
                events.Add(new CommunityEvent($"s{i}", EventType.Message, "g1", $"m{i % 40}", joined.AddMinutes(random.Next(1, 60 * 30))));
            }
        }

        return events;
    }

    [StoreFact]
    public async Task EventLog_TwoInstancesSubmittingTheSameEventsConcurrently_StoreAndApplyEachEventExactlyOnce()
    {
        var events = Month(120, 5);
        Welcomes wa = new(), wb = new();
        var pa = RuntimeInstance(wa);
        var pb = RuntimeInstance(wb);
        var a = pa.GetRequiredService<IEventIntake>();
        var b = pb.GetRequiredService<IEventIntake>();
        var dispatchers = pa.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Concat(pb.GetServices<Microsoft.Extensions.Hosting.IHostedService>()).ToList();
        foreach (var d in dispatchers)
        {
            await d.StartAsync(CancellationToken.None); // both instances deliver the shared outbox while the events come in
        }

        async Task<EventIntakeOutcome[]> Feed(IEventIntake intake)
        {
            var outcomes = new EventIntakeOutcome[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                outcomes[i] = (await intake.SubmitAsync(events[i])).Outcome;
            }

            return outcomes;
        }

        var results = await Task.WhenAll(Task.Run(() => Feed(a)), Task.Run(() => Feed(b)));
        var outbox = pa.GetRequiredService<IActionOutbox>();
        for (var wait = 0; (await outbox.GetStatisticsAsync(CancellationToken.None)).Pending > 0; wait++)
        {
            Assert.True(wait < 1500, "the outbox was not drained within 30 s");
            Clock.Advance(TimeSpan.FromMilliseconds(20)); // both dispatchers wake on the host's clock and race for claims
            await Task.Delay(20);
        }

        foreach (var d in dispatchers)
        {
            await d.StopAsync(CancellationToken.None);
        }

        // Every decided action was written once (its id is unique) and delivered once: claims never overlapped.
        var ids = await outbox.ListAsync(OutboxState.Delivered, 100_000, CancellationToken.None);
        var delivered = wa.Delivered.Concat(wb.Delivered).ToList();
        Assert.Equal(ids.Count, Scalar("SELECT COUNT(*) FROM cf_outbox"));
        Assert.Equal(ids.Select(e => e.Id).Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal));
        for (var i = 0; i < events.Count; i++)
        {
            Assert.True(results[0][i] != results[1][i], $"event {events[i].Id}: {results[0][i]} at both instances");
        }

        Assert.Equal(events.Count, Scalar("SELECT COUNT(*) FROM cf_events"));
        Assert.Equal(events.Count, Scalar("SELECT COUNT(DISTINCT event_id) FROM cf_events"));
        // No event applied twice: no member welcomed twice. (Which join welcomes depends on the order the two instances
        // happened to apply a member's events in; per-member order is kept within an instance, see docs/hosting.md.)
        var welcomed = wa.Members.Concat(wb.Members).ToList();
        Assert.Equal(welcomed.Count, welcomed.Distinct().Count());
        Assert.True(welcomed.Count >= 30, $"{welcomed.Count} welcomes");

        // Each member saved as often as one instance fed the events once saves it.
        var lifecycle = NewReferenceLifecycle(out var referenceProvider);
        using (referenceProvider)
        {
            foreach (var e in events)
            {
                await lifecycle.ApplyAsync(e);
            }

            foreach (var member in events.Select(e => e.Member).Distinct())
            {
                var expected = (await lifecycle.FindAsync("g1", member))!;
                var actual = (await Members.FindAsync("g1", member, CancellationToken.None))!;
                Assert.Equal((expected.Version, expected.Watermark), (actual.Version, actual.Watermark));
            }
        }
    }

    [StoreFact]
    public async Task EventLog_IsReadBackAfterARestart_InTimeOrder_AndGivesTheActivationRateOfTheEvents()
    {
        var events = Month(300, 11);
        var intake = RuntimeInstance(new Welcomes()).GetRequiredService<IEventIntake>();
        foreach (var e in events.AsEnumerable().Reverse())
        {
            await intake.SubmitAsync(e);
        }

        Restart();
        var log = RuntimeInstance(new Welcomes()).GetRequiredService<IEventLogStore>();
        Assert.False(await log.TryAppendAsync(events[0], CancellationToken.None));
        var from = T0;
        var to = T0.AddDays(30);
        var read = new List<CommunityEvent>();
        await foreach (var e in log.ReadAsync(from, to, CancellationToken.None))
        {
            read.Add(e);
        }

        Assert.Equal(events.Count, read.Count);
        Assert.True(read.Zip(read.Skip(1)).All(p => p.First.At <= p.Second.At), "not in time order");
        var original = events.ToDictionary(e => e.Id, StringComparer.Ordinal);
        Assert.All(read, e => Assert.Equal((original[e.Id].Type, original[e.Id].Member, original[e.Id].At, original[e.Id].Channel), (e.Type, e.Member, e.At, e.Channel)));

        var query = new ActivationQuery(to) { BreakdownBy = ActivationBreakdownBy.Channel };
        var fromLog = ActivationCalculator.Calculate(read, query);
        var direct = ActivationCalculator.Calculate(events.OrderBy(e => e.At), query);
        Assert.Equal((direct.Eligible, direct.Activated, direct.Rate), (fromLog.Eligible, fromLog.Activated, fromLog.Rate));
        Assert.Equal(direct.Breakdown, fromLog.Breakdown);
        Assert.Equal(["g1"], await log.ListGroupsAsync(CancellationToken.None));
    }

    private static IMemberLifecycle NewReferenceLifecycle(out ServiceProvider provider)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseInMemoryStores()
            .ConfigureLifecycle(o => o.DefaultPolicy = new LifecyclePolicy { NicknamePattern = "^[^-]+-[^-]+-[^-]+$" });
        provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IMemberLifecycle>();
    }
}
