using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Tests.Activation;

/// <summary>The online activation projection (in memory): its reports are ActivationCalculator's over the same events.</summary>
public sealed class ActivationProjectionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);
    private static readonly TimeSpan[] Windows = [TimeSpan.FromHours(24), TimeSpan.FromHours(1), TimeSpan.FromMinutes(90), TimeSpan.FromDays(2)];
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task RandomStreams_InArrivalOrder_ReportAsTheCalculator_ByChannelGroupAndDay()
    {
        var random = new Random(17_2026);
        long queries = 0, eligible = 0, pending = 0, excluded = 0, activated = 0, duplicates = 0;
        for (var run = 0; run < 400; run++)
        {
            var window = Windows[random.Next(Windows.Length)];
            IReadOnlyCollection<EventType> qualifying = random.Next(5) == 0 ? [EventType.Message, EventType.Left] : QualifyingActivity.DefaultTypes;
            var stream = ProjectionStreams.Generate(random, window);
            var store = new InMemoryActivationStore(window, qualifying);

            // Part of the stream first: the report then is the calculator's over what has arrived.
            var cut = random.Next(stream.Arrivals.Count + 1);
            foreach (var e in stream.Arrivals.Take(cut))
            {
                await store.ApplyAsync(e, None);
            }

            var partial = ProjectionStreams.Queries(random, stream, window, qualifying).First();
            ProjectionStreams.AssertSame(ActivationCalculator.Calculate(stream.Arrivals.Take(cut).ToList(), partial), await store.GetReportAsync(partial, None), $"run {run}, first {cut} events");

            foreach (var e in stream.Arrivals.Skip(cut))
            {
                await store.ApplyAsync(e, None);
            }

            foreach (var query in ProjectionStreams.Queries(random, stream, window, qualifying))
            {
                var expected = ActivationCalculator.Calculate(stream.Arrivals, query);
                ProjectionStreams.AssertSame(expected, await store.GetReportAsync(query, None), $"run {run}, {query}");
                queries++;
                eligible += expected.Eligible;
                activated += expected.Activated;
                pending += expected.Pending;
                excluded += expected.Excluded;
                duplicates += expected.Duplicates;
            }
        }

        // The streams reach every outcome often, so that agreement means something.
        Assert.True(queries > 4000, $"{queries} queries");
        Assert.True(eligible > 10_000 && activated > 3000 && eligible - activated > 3000, $"eligible {eligible}, activated {activated}");
        Assert.True(pending > 1000 && excluded > 1000 && duplicates > 1000, $"pending {pending}, excluded {excluded}, duplicates {duplicates}");
    }

    [Fact]
    public async Task RandomStreams_InArrivalOrder_GiveTheFunnelOfTheCalculator()
    {
        var random = new Random(25_2026);
        long rows = 0, converted = 0, attracted = 0;
        for (var run = 0; run < 300; run++)
        {
            var window = Windows[random.Next(Windows.Length)];
            IReadOnlyCollection<EventType> qualifying = random.Next(5) == 0 ? [EventType.Message, EventType.Left] : QualifyingActivity.DefaultTypes;
            var stream = ProjectionStreams.Generate(random, window);
            var store = new InMemoryActivationStore(window, qualifying);
            foreach (var e in stream.Arrivals)
            {
                await store.ApplyAsync(e, None);
            }

            foreach (var query in ProjectionStreams.FunnelQueries(random, stream, window, qualifying))
            {
                var expected = FunnelCalculator.Calculate(stream.Arrivals, query);
                ProjectionStreams.AssertSameFunnel(expected, await store.GetFunnelReportAsync(query, None), $"run {run}, {query}");
                rows += expected.Rows.Count;
                converted += expected.Total.Converted;
                attracted += expected.Total.Attracted ?? 0;
            }
        }

        Assert.True(rows > 5000 && converted > 1000 && attracted > 1000, $"rows {rows}, converted {converted}, attracted {attracted}");
    }

    [Fact]
    public async Task ALateOrder_ConvertsTheJoinsBeforeIt_AndAFunnelQueryByDayIsRefused()
    {
        var store = new InMemoryActivationStore();
        await Apply(store, Join("j1", "a", T0), Join("j2", "a", T0.AddDays(3), channel: "qr"));
        var asOf = T0.AddDays(5);
        var funnel = new FunnelQuery(asOf) { Rejoin = RejoinPolicy.Every };
        Assert.Equal(0, (await store.GetFunnelReportAsync(funnel, None)).Total.Converted);

        // An order four days after the first join arrives last: both joins before it convert, each from its own join.
        await Apply(store, new CommunityEvent("o1", EventType.Order, "g", "a", T0.AddDays(4), amount: 990));
        var report = await store.GetFunnelReportAsync(funnel, None);
        Assert.Equal(2, report.Total.Converted);
        Assert.Equal([("poster", TimeSpan.FromDays(4)), ("qr", TimeSpan.FromDays(1))], report.Rows.Select(r => (r.Key, r.MedianTimeToConvert!.Value)));
        Assert.Equal(0, (await store.GetFunnelReportAsync(funnel with { AsOf = T0.AddDays(4) }, None)).Total.Converted); // not before asOf yet
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetFunnelReportAsync(funnel with { By = ActivationBreakdownBy.Day }, None));
    }

    [Fact]
    public async Task AnyArrivalOrder_GivesTheSameRows()
    {
        var random = new Random(5);
        for (var run = 0; run < 100; run++)
        {
            var stream = ProjectionStreams.Generate(random, Day);
            var inOrder = new InMemoryActivationStore();
            var reversed = new InMemoryActivationStore();
            foreach (var e in stream.Arrivals.OrderBy(e => e.AtUtcTicks))
            {
                await inOrder.ApplyAsync(e, None);
            }

            // Reversed arrival keeps the first of each duplicate id, as the calculator over the reversed list does.
            var backwards = Enumerable.Reverse(stream.Arrivals).ToList();
            foreach (var e in backwards)
            {
                await reversed.ApplyAsync(e, None);
            }

            foreach (var query in ProjectionStreams.Queries(random, stream, Day, QualifyingActivity.DefaultTypes))
            {
                ProjectionStreams.AssertSame(ActivationCalculator.Calculate(stream.Arrivals.OrderBy(e => e.AtUtcTicks).ToList(), query), await inOrder.GetReportAsync(query, None), $"run {run} in order");
                ProjectionStreams.AssertSame(ActivationCalculator.Calculate(backwards, query), await reversed.GetReportAsync(query, None), $"run {run} reversed");
            }
        }
    }

    [Fact]
    public async Task AJoinActivatedAt23h59m_IsActivated_At24h00m_IsMissed()
    {
        var store = new InMemoryActivationStore();
        await Apply(store, Join("j1", "a", T0), Join("j2", "b", T0));
        await Apply(store, Message("s1", "a", T0 + Day - TimeSpan.FromMinutes(1)), Message("s2", "b", T0 + Day));

        var report = await store.GetReportAsync(Query(T0 + Day, ActivationBreakdownBy.None), None);
        Assert.Equal((2L, 1L, 0L), (report.Eligible, report.Activated, report.Pending));

        // One tick before the window ends both are still pending (the rate says nothing yet).
        var before = await store.GetReportAsync(Query(T0 + Day - TimeSpan.FromTicks(1), ActivationBreakdownBy.None), None);
        Assert.Equal((0L, 0L, 2L), (before.Eligible, before.Activated, before.Pending));
        Assert.Null(before.Rate);

        // The last tick inside the window still counts.
        await Apply(store, Join("j3", "c", T0), Message("s3", "c", T0 + Day - TimeSpan.FromTicks(1)));
        Assert.Equal(2, (await store.GetReportAsync(Query(T0 + Day, ActivationBreakdownBy.None), None)).Activated);
    }

    [Fact]
    public async Task ALateActivity_MovesAJoinFromMissedToActivated()
    {
        var store = new InMemoryActivationStore();
        await Apply(store, Join("j1", "a", T0), Message("s-late", "a", T0 + Day + TimeSpan.FromHours(1)));
        var asOf = T0 + TimeSpan.FromDays(3);
        var missed = await store.GetReportAsync(Query(asOf, ActivationBreakdownBy.None), None);
        Assert.Equal((1L, 0L), (missed.Eligible, missed.Activated));

        // A message sent inside the window arrives two days late: the join's first activity is lowered to it.
        await Apply(store, Message("s-early", "a", T0 + TimeSpan.FromHours(5)));
        var activated = await store.GetReportAsync(Query(asOf, ActivationBreakdownBy.None), None);
        Assert.Equal((1L, 1L, 1.0), (activated.Eligible, activated.Activated, activated.Rate));

        // And an activity that came before its join (the join arrived late) counts once the join arrives.
        await Apply(store, Message("s-b", "b", T0 + TimeSpan.FromHours(2)));
        await Apply(store, Join("j-b", "b", T0 + TimeSpan.FromHours(1)));
        Assert.Equal(2, (await store.GetReportAsync(Query(asOf, ActivationBreakdownBy.None), None)).Activated);
    }

    [Fact]
    public async Task ADuplicateEventId_ChangesNothing_ButTheDuplicateCount()
    {
        var store = new InMemoryActivationStore();
        Assert.True(await store.ApplyAsync(Join("j1", "a", T0), None));
        Assert.False(await store.ApplyAsync(Join("j1", "a", T0), None));

        // The same id with other content (a message that would activate, a join elsewhere) is ignored too.
        Assert.False(await store.ApplyAsync(Message("j1", "a", T0.AddHours(1)), None));
        Assert.False(await store.ApplyAsync(Join("j1", "b", T0, channel: "qr"), None));
        Assert.True(await store.ApplyAsync(Message("other", "c", T0), None));

        var report = await store.GetReportAsync(Query(T0 + TimeSpan.FromDays(2), ActivationBreakdownBy.Channel), None);
        Assert.Equal((1L, 0L, 3L), (report.Eligible, report.Activated, report.Duplicates));
        Assert.Equal(["poster"], report.Breakdown.Select(r => r.Key));
    }

    [Theory]
    [InlineData(RejoinPolicy.First)]
    [InlineData(RejoinPolicy.Every)]
    public async Task ARejoin_CountsUnderEachPolicy(RejoinPolicy policy)
    {
        var store = new InMemoryActivationStore();
        // a: joins, stays silent, leaves, rejoins two days later through another channel and speaks then.
        await Apply(
            store,
            Join("j2", "a", T0 + TimeSpan.FromDays(2), channel: "qr"),
            Message("s1", "a", T0 + TimeSpan.FromDays(2) + TimeSpan.FromHours(1)),
            new CommunityEvent("l1", EventType.Left, "g", "a", T0 + TimeSpan.FromHours(3)));
        // The first join arrives last: under "first" it replaces the rejoin as a's join.
        await Apply(store, Join("j1", "a", T0));

        var report = await store.GetReportAsync(Query(T0 + TimeSpan.FromDays(5), ActivationBreakdownBy.Channel) with { Rejoin = policy }, None);
        if (policy == RejoinPolicy.First)
        {
            Assert.Equal((1L, 0L), (report.Eligible, report.Activated));
            Assert.Equal(["poster"], report.Breakdown.Select(r => r.Key));
        }
        else
        {
            Assert.Equal((2L, 1L), (report.Eligible, report.Activated));
            Assert.Equal([("poster", 0L), ("qr", 1L)], report.Breakdown.Select(r => (r.Key, r.Activated)));
        }
    }

    [Fact]
    public async Task ATieBetweenFirstJoins_GoesToTheSmallerId_WhateverTheArrivalOrder()
    {
        var store = new InMemoryActivationStore();
        await Apply(store, Join("j-b", "a", T0, channel: "b"), Join("j-a", "a", T0, channel: "a"), Join("j-c", "a", T0, channel: "c"));
        var report = await store.GetReportAsync(Query(T0 + TimeSpan.FromDays(2), ActivationBreakdownBy.Channel), None);
        Assert.Equal(["a"], report.Breakdown.Select(r => r.Key));
    }

    [Fact]
    public async Task StaffAndBots_AreExcluded_NeverPendingNorEligible()
    {
        var store = new InMemoryActivationStore();
        await Apply(
            store,
            Join("j1", "staff", T0, role: MemberRole.Staff),
            Join("j2", "bot", T0, role: MemberRole.Bot),
            Join("j3", "member", T0, role: MemberRole.Member),
            Message("s1", "staff", T0.AddHours(1)),
            Message("s2", "bot", T0.AddHours(1)));

        var open = await store.GetReportAsync(Query(T0.AddHours(2), ActivationBreakdownBy.None), None);
        Assert.Equal((0L, 1L, 2L), (open.Eligible, open.Pending, open.Excluded));
        var over = await store.GetReportAsync(Query(T0 + TimeSpan.FromDays(2), ActivationBreakdownBy.Group), None);
        Assert.Equal((1L, 0L, 0L, 2L), (over.Eligible, over.Activated, over.Pending, over.Excluded));
        Assert.Equal(2, over.Breakdown.Single().Excluded);
    }

    [Fact]
    public async Task AReport_IgnoresEventsAtOrAfterAsOf_AndJoinsOutsideTheCohort()
    {
        var store = new InMemoryActivationStore();
        await Apply(store, Join("j1", "a", T0), Join("j2", "b", T0.AddDays(1)), Join("j3", "c", T0.AddDays(5)));
        var query = Query(T0.AddDays(3), ActivationBreakdownBy.Day) with { From = T0.AddHours(1) };
        var report = await store.GetReportAsync(query, None);
        Assert.Equal(1, report.Eligible);
        Assert.Equal(["2026-11-03"], report.Breakdown.Select(r => r.Key)); // Asia/Shanghai: 09:00Z is 17:00 local
    }

    [Fact]
    public async Task AQueryForAnotherWindowOrOtherTypes_IsRefused()
    {
        var store = new InMemoryActivationStore(TimeSpan.FromHours(24));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetReportAsync(new ActivationQuery(T0) { Window = TimeSpan.FromHours(48) }, None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetReportAsync(new ActivationQuery(T0) { QualifyingTypes = [EventType.Message] }, None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetReportAsync(new ActivationQuery(T0) { TimeZoneId = "Nowhere/Else" }, None));
        Assert.Throws<ArgumentException>(() => new InMemoryActivationStore(TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => new InMemoryActivationStore(null, []));
        Assert.Equal(QualifyingActivity.DefaultTypes.Order(), store.QualifyingTypes.Order());
    }

    [Fact]
    public async Task TheProjectionService_UsesTheHostsSettings_AndTheRegisteredStore()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel(o =>
        {
            o.ActivationWindow = TimeSpan.FromHours(48);
            o.TimeZoneId = "America/New_York";
        }).UseInMemoryStores().ConfigureActivation(a => a.Rejoin = RejoinPolicy.Every);
        using var provider = services.BuildServiceProvider();
        var projection = provider.GetRequiredService<IActivationProjection>();
        var store = Assert.IsType<InMemoryActivationStore>(provider.GetRequiredService<IActivationStore>());
        Assert.Equal(TimeSpan.FromHours(48), store.Window);

        await projection.ApplyAsync(Join("j1", "a", T0), None);
        await projection.ApplyAsync(Join("j2", "a", T0.AddHours(1)), None);
        await projection.ApplyAsync(Message("s1", "a", T0.AddHours(47)), None);
        var report = await projection.GetActivationReportAsync(T0.AddDays(3), ActivationBreakdownBy.Day, None);
        Assert.Equal(TimeSpan.FromHours(48), report.Window);
        Assert.Equal((2L, 2L), (report.Eligible, report.Activated)); // every join counts (Rejoin = Every); 47 h is inside 48 h
        Assert.Equal(["2026-11-02"], report.Breakdown.Select(r => r.Key)); // the host's zone: 04:00 local

        var reporter = provider.GetRequiredService<IActivationReporter>();
        var query = reporter.CreateQuery(T0.AddDays(3)) with { Rejoin = RejoinPolicy.First };
        Assert.Equal(1, (await projection.GetActivationReportAsync(query, None)).Eligible);
    }

    [Fact]
    public void WithoutAStore_TheProjectionServiceSaysWhatToAdd()
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel();
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IActivationProjection>());
        Assert.Contains("UseActivationStore<T>()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentApplies_OfTheSameEvents_ApplyEachOnce()
    {
        var random = new Random(11);
        var stream = ProjectionStreams.Generate(random, Day, maxMembers: 30);
        var store = new InMemoryActivationStore();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var applied = 0;
            foreach (var e in stream.Arrivals)
            {
                applied += await store.ApplyAsync(e, None) ? 1 : 0;
            }

            return applied;
        })));
        Assert.Equal(stream.Arrivals.Select(e => e.Id).Distinct().Count(), outcomes.Sum());
        var query = Query(stream.Start.AddDays(9), ActivationBreakdownBy.Channel);
        var expected = ActivationCalculator.Calculate(stream.Arrivals, query);
        var actual = await store.GetReportAsync(query, None);
        Assert.Equal((expected.Eligible, expected.Activated, expected.Excluded), (actual.Eligible, actual.Activated, actual.Excluded));
        Assert.Equal(expected.Breakdown, actual.Breakdown);
        Assert.Equal((stream.Arrivals.Count * 4) - outcomes.Sum(), actual.Duplicates);
    }

    private static async Task Apply(IActivationStore store, params CommunityEvent[] events)
    {
        foreach (var e in events)
        {
            await store.ApplyAsync(e, None);
        }
    }

    private static ActivationQuery Query(DateTimeOffset asOf, ActivationBreakdownBy by) => new(asOf) { BreakdownBy = by };

    private static CommunityEvent Join(string id, string member, DateTimeOffset at, string channel = "poster", MemberRole? role = null) =>
        new(id, EventType.Joined, "g", member, at, channel: channel, role: role);

    private static CommunityEvent Message(string id, string member, DateTimeOffset at) => new(id, EventType.Message, "g", member, at);
}
