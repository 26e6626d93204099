using CommunityFunnel.Lottery;
using CommunityFunnel.Storage.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static DrawRecord NewDraw(string id, DrawState state = DrawState.Open, DrawSchedule? schedule = null) => new()
    {
        Definition = new DrawDefinition(id, [new PrizeTier("first", 1), new PrizeTier("second", 3)])
        {
            Schedule = schedule ?? DrawSchedule.Manual,
            MaxTicketsPerEntry = 10,
            MaxEntries = 50,
        },
        State = state,
        Version = 1,
        Commitment = new string('a', 64),
        CreatedAt = T0,
    };

    private static DrawEntryChange Add(string entry, long tickets, int maxEntries = 100, long maxTotal = 1_000) =>
        new(DrawEntryChangeKind.Add, entry, tickets, 10, maxEntries, maxTotal);

    [StoreFact]
    public async Task Draw_RecordRoundTrips_AndIsCreatedOnce()
    {
        var ct = TestContext.Current;
        foreach (var (id, schedule) in new[] { ("manual", DrawSchedule.Manual), ("at", DrawSchedule.At(T0.AddDays(7))), ("entries", DrawSchedule.WhenEntries(30)) })
        {
            var record = NewDraw(id, DrawState.Created, schedule);
            Assert.True(await Draws.TryCreateAsync(record, ct));
            Assert.False(await Draws.TryCreateAsync(record with { Commitment = new string('b', 64) }, ct));
            var found = await OtherHost().GetRequiredService<IDrawStore>().FindAsync(id, ct);
            Assert.NotNull(found);
            Same.Equal(record, found);
            Assert.Equal(schedule, found.Definition.Schedule);
        }

        Assert.Null(await Draws.FindAsync("unknown", ct));
        Assert.Empty(await Draws.GetEntriesAsync("unknown", ct));
    }

    [StoreFact]
    public async Task Draw_TheDrandRoundNamedAtCreation_AndItsSignature_RoundTrip()
    {
        var ct = TestContext.Current;
        var named = new DrandRound(DrandChain.Quicknet.ChainHash, 36_912_345);
        var record = NewDraw("drand", DrawState.Created, DrawSchedule.At(T0.AddDays(1))) with { DrandRound = named };
        Assert.True(await Draws.TryCreateAsync(record, ct));
        var found = await OtherHost().GetRequiredService<IDrawStore>().FindAsync("drand", ct);
        Assert.Equal(named, found!.DrandRound);
        Assert.Null(found.DrandSignature);

        var fetched = record with { Version = 2, State = DrawState.Open, DrandSignature = "b44679b9" };
        Assert.True(await Draws.TryUpdateAsync(fetched, 1, ct));
        Same.Equal(fetched, await OtherHost().GetRequiredService<IDrawStore>().FindAsync("drand", ct));
    }

    [StoreFact]
    public async Task Draw_ADrandDraw_KeepsItsNamedRoundAcrossHosts_AndItsProofVerifies()
    {
        var ct = TestContext.Current;
        // A round after T0, answered as a relay would (randomness = SHA-256 of the signature; the BLS signature is not checked).
        var close = T0.AddDays(1);
        var round = DrandChain.Quicknet.FirstRoundAtOrAfter(close + DrandEntropy.DefaultSafetyMargin);
        var signature = Convert.ToHexStringLower(Enumerable.Range(0, 48).Select(i => (byte)i).ToArray());
        var randomness = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(signature)));
        var answer = $"{{\"round\":{round},\"randomness\":\"{randomness}\",\"signature\":\"{signature}\"}}";
        ServiceProvider? single = null; // in memory, one host keeps the draws
        IDrawService Lottery()
        {
            single = (Durable ? null : single) ?? NewProvider((services, builder) =>
            {
                services.AddSingleton(new HttpClient(new OneAnswer(answer)) { BaseAddress = new Uri("https://relay.example/") });
                builder.UseDrandEntropy(DrandChain.Quicknet);
            });
            return single.GetRequiredService<IDrawService>();
        }

        var lottery = Lottery();
        var created = await lottery.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(close) }, ct);
        await lottery.OpenAsync("d", ct);
        await lottery.EnterAsync("d", "a", 2, ct);
        await lottery.EnterAsync("d", "b", 1, ct);
        Clock.SetUtcNow(close);
        lottery = Lottery();
        Assert.Equal(DrawState.Closed, (await lottery.AdvanceAsync("d", ct)).State);
        Clock.SetUtcNow(DrandChain.Quicknet.TimeOf(round));
        lottery = Lottery();
        var drawn = await lottery.AdvanceAsync("d", ct);

        Assert.Equal(new DrandRound(DrandChain.Quicknet.ChainHash, round), created.DrandRound);
        Assert.Equal(created.DrandRound, drawn.DrandRound);
        Assert.Equal(DrawProof.DrandVersion, drawn.Proof!.Version);
        Assert.Equal(new DrandBeacon(DrandChain.Quicknet.ChainHash, round, close, randomness, signature), drawn.Proof.Drand);
        Assert.Equal(randomness, drawn.Proof.PublicEntropy);
        Assert.True(FairDraw.Verify(drawn.Proof).IsValid);
    }

    private sealed class OneAnswer(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(body) });
    }

    [StoreFact]
    public async Task Draw_UpdateIsConditionalOnTheVersion()
    {
        var ct = TestContext.Current;
        var record = NewDraw("d", DrawState.Created);
        await Draws.TryCreateAsync(record, ct);
        var open = record with { State = DrawState.Open, Version = 2 };

        Assert.False(await Draws.TryUpdateAsync(open, 0, ct));
        Assert.False(await Draws.TryUpdateAsync(open with { Version = 3 }, 1, ct));
        Assert.False(await Draws.TryUpdateAsync(NewDraw("missing") with { Version = 2 }, 1, ct));
        Assert.True(await Draws.TryUpdateAsync(open, 1, ct));
        Assert.False(await OtherHost().GetRequiredService<IDrawStore>().TryUpdateAsync(open with { ClosedAt = T0 }, 1, ct));

        var found = await Draws.FindAsync("d", ct);
        Same.Equal(open, found);
    }

    [StoreFact]
    public async Task Draw_EntryChanges_HaveEveryOutcome()
    {
        var ct = TestContext.Current;
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.DrawNotFound, 0, 0), await Draws.ApplyEntryChangeAsync("none", Add("a", 1), ct));
        await Draws.TryCreateAsync(NewDraw("created", DrawState.Created), ct);
        Assert.Equal(EntryChangeOutcome.DrawNotOpen, (await Draws.ApplyEntryChangeAsync("created", Add("a", 1), ct)).Outcome);

        await Draws.TryCreateAsync(NewDraw("d"), ct);
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 1, 3), await Draws.ApplyEntryChangeAsync("d", Add("a", 3), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.AlreadyEntered, 1, 3), await Draws.ApplyEntryChangeAsync("d", Add("a", 1), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.TicketLimit, 1, 0), await Draws.ApplyEntryChangeAsync("d", Add("b", 11), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.DrawFull, 1, 0), await Draws.ApplyEntryChangeAsync("d", Add("b", 1, maxEntries: 1), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.DrawFull, 1, 0), await Draws.ApplyEntryChangeAsync("d", Add("b", 5, maxTotal: 7), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 2, 4), await Draws.ApplyEntryChangeAsync("d", Add("b", 4, maxTotal: 7), ct));
        var more = new DrawEntryChange(DrawEntryChangeKind.AddTickets, "a", 5, 10, 100, 1_000);
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 2, 8), await Draws.ApplyEntryChangeAsync("d", more, ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.TicketLimit, 2, 8), await Draws.ApplyEntryChangeAsync("d", more, ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.DrawFull, 2, 8), await Draws.ApplyEntryChangeAsync("d", more with { Tickets = 1, MaxTotalWeight = 12 }, ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.NotEntered, 2, 0), await Draws.ApplyEntryChangeAsync("d", more with { EntryId = "zz" }, ct));
        var withdraw = new DrawEntryChange(DrawEntryChangeKind.Withdraw, "b", 0, 10, 100, 1_000);
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 1, 0), await Draws.ApplyEntryChangeAsync("d", withdraw, ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.NotEntered, 1, 0), await Draws.ApplyEntryChangeAsync("d", withdraw, ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 2, 2), await Draws.ApplyEntryChangeAsync("d", Add("b", 2, maxTotal: 10), ct));

        var entries = await OtherHost().GetRequiredService<IDrawStore>().GetEntriesAsync("d", ct);
        Assert.Equal([new DrawEntry("a", 8), new DrawEntry("b", 2)], entries.OrderBy(e => e.Id, StringComparer.Ordinal));

        // Closed: entries are frozen.
        var record = (await Draws.FindAsync("d", ct))!;
        Assert.True(await Draws.TryUpdateAsync(record with { State = DrawState.Closed, Version = 2, ClosedAt = T0 }, 1, ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.DrawNotOpen, 2, 0), await Draws.ApplyEntryChangeAsync("d", Add("c", 1), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.DrawNotOpen, 2, 8), await Draws.ApplyEntryChangeAsync("d", withdraw with { EntryId = "a" }, ct));
        Assert.Equal(2, (await Draws.GetEntriesAsync("d", ct)).Count);
    }

    private static DrawEntryChange Set(string entry, long tickets, long expected, int maxEntries = 100, long maxTotal = 1_000) =>
        new(DrawEntryChangeKind.SetTickets, entry, tickets, 10, maxEntries, maxTotal) { ExpectedTickets = expected };

    [StoreFact]
    public async Task Draw_SetTickets_IsACompareAndSet_AndTwoWritersFromOneReadingChangeTheEntryOnce()
    {
        var ct = TestContext.Current;
        await Draws.TryCreateAsync(NewDraw("d"), ct);
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 1, 3), await Draws.ApplyEntryChangeAsync("d", Set("a", 3, 0), ct)); // entered
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Changed, 1, 3), await Draws.ApplyEntryChangeAsync("d", Set("a", 4, 0), ct)); // read before the first
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 1, 5), await Draws.ApplyEntryChangeAsync("d", Set("a", 5, 3), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 1, 5), await Draws.ApplyEntryChangeAsync("d", Set("a", 5, 5), ct)); // nothing to do
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.TicketLimit, 1, 5), await Draws.ApplyEntryChangeAsync("d", Set("a", 11, 5), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.DrawFull, 1, 0), await Draws.ApplyEntryChangeAsync("d", Set("b", 1, 0, maxEntries: 1), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.DrawFull, 1, 5), await Draws.ApplyEntryChangeAsync("d", Set("a", 9, 5, maxTotal: 8), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 2, 2), await Draws.ApplyEntryChangeAsync("d", Set("b", 2, 0), ct));
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 1, 0), await Draws.ApplyEntryChangeAsync("d", Set("b", 0, 2), ct)); // withdrawn
        Assert.Equal(new EntryChangeResult(EntryChangeOutcome.Applied, 1, 0), await Draws.ApplyEntryChangeAsync("d", Set("b", 0, 0), ct));

        // Two hosts set many entries from the same readings at once: each entry changes once, the live total agrees.
        var other = OtherHost().GetRequiredService<IDrawStore>();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? Draws : other;
            return (await store.ApplyEntryChangeAsync("d", Set($"m{i / 2}", 1 + (i % 2), 0), ct)).Outcome;
        })));
        Assert.Equal(20, outcomes.Count(o => o == EntryChangeOutcome.Applied));
        Assert.Equal(20, outcomes.Count(o => o == EntryChangeOutcome.Changed));
        var entries = await Draws.GetEntriesAsync("d", ct);
        Assert.Equal(21, entries.Count);
        var record = (await Draws.FindAsync("d", ct))!;
        Assert.True(await Draws.TryUpdateAsync(record with { State = DrawState.Closed, Version = record.Version + 1, ClosedAt = T0 }, record.Version, ct));
        Assert.Equal(EntryChangeOutcome.DrawNotOpen, (await Draws.ApplyEntryChangeAsync("d", Set("a", 1, 5), ct)).Outcome);
    }

    [StoreFact]
    public async Task Draw_RandomEntryChanges_MatchTheInMemoryReference()
    {
        var ct = TestContext.Current;
        using var reference = Reference();
        var expected = reference.GetRequiredService<IDrawStore>();
        await expected.TryCreateAsync(NewDraw("d"), ct);
        await Draws.TryCreateAsync(NewDraw("d"), ct);
        var random = new Random(11);
        for (var i = 0; i < 250; i++)
        {
            var change = new DrawEntryChange((DrawEntryChangeKind)random.Next(3), $"e{random.Next(25)}", random.Next(1, 6), random.Next(4, 12), random.Next(10, 22), random.Next(30, 80));
            Assert.Equal(await expected.ApplyEntryChangeAsync("d", change, ct), await Draws.ApplyEntryChangeAsync("d", change, ct));
        }

        var want = (await expected.GetEntriesAsync("d", ct)).OrderBy(e => e.Id, StringComparer.Ordinal);
        var got = (await Draws.GetEntriesAsync("d", ct)).OrderBy(e => e.Id, StringComparer.Ordinal);
        Assert.Equal(want, got);
    }

    [StoreFact]
    public async Task Draw_EntriesRacingTheClose_AreExactlyTheEntriesAtTheClose()
    {
        var ct = TestContext.Current;
        var lottery = Host.GetRequiredService<IDrawService>();
        var other = OtherHost().GetRequiredService<IDrawService>();
        await lottery.CreateAsync(new DrawDefinition("race", [new PrizeTier("first", 2)]), ct);
        await lottery.OpenAsync("race", ct);
        using var started = new SemaphoreSlim(0);
        var applied = 0;
        var entering = Task.Run(
            async () =>
            {
                for (var i = 0; i < 5_000; i++)
                {
                    if (i == 10)
                    {
                        started.Release();
                    }

                    try
                    {
                        await other.EnterAsync("race", $"m{i}", 1 + (i % 3), ct);
                        Interlocked.Increment(ref applied);
                    }
                    catch (DrawLifecycleException)
                    {
                        return; // closed
                    }
                }
            },
            ct);
        await started.WaitAsync(ct);
        var closed = await lottery.CloseAsync("race", ct);
        await entering;

        var entries = await Draws.GetEntriesAsync("race", ct);
        Assert.Equal(applied, entries.Count);
        Assert.Equal(closed.EntryCount, entries.Count);
        Assert.Equal(closed.EntriesRoot, FairDraw.ComputeEntriesRoot(entries));
        Assert.True(applied >= 10, $"{applied} entries before the close");
    }

    [StoreFact]
    public async Task Draw_FullLifecycle_OnTheStore_IsVerifiable_FromAnotherHost()
    {
        var ct = TestContext.Current;
        var lottery = Host.GetRequiredService<IDrawService>();
        await lottery.CreateAsync(new DrawDefinition("weekly", [new PrizeTier("first", 1), new PrizeTier("second", 2)]) { MaxEntries = 100 }, ct);
        await lottery.OpenAsync("weekly", ct);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(EntryChangeOutcome.Applied, (await lottery.EnterAsync("weekly", $"member-{i}", 1 + (i % 4), ct)).Outcome);
        }

        Clock.Advance(TimeSpan.FromDays(7));
        await lottery.CloseAsync("weekly", ct);
        await lottery.SupplyEntropyAsync("weekly", new byte[] { 1, 2, 3, 4 }, ct);
        var proof = await lottery.DrawAsync("weekly", ct);
        var replacement = await lottery.ForfeitAsync("weekly", proof.Winners[0].Entry!, ct);

        var other = OtherHost();
        var stored = (await other.GetRequiredService<IDrawStore>().FindAsync("weekly", ct))!;
        Assert.Equal(DrawState.Drawn, stored.State);
        Assert.Equal(replacement, stored.Proof!.Winners[^1]);
        Assert.True(FairDraw.Verify(stored.Proof).IsValid);
        Assert.Equal(stored.Commitment, stored.Proof.Commitment);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => other.GetRequiredService<IDrawService>().DrawAsync("weekly", ct));
    }

    [StoreFact]
    public async Task Secrets_AreStoredOnce_AndReadBack()
    {
        var ct = TestContext.Current;
        var seed = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        await Secrets.StoreSeedAsync("d1", seed, ct);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OtherHost().GetRequiredService<IDrawSecretStore>().StoreSeedAsync("d1", new byte[32], ct));
        Assert.Contains("'d1'", error.Message, StringComparison.Ordinal);
        Assert.Equal(seed, await OtherHost().GetRequiredService<IDrawSecretStore>().GetSeedAsync("d1", ct));
        Assert.Null(await Secrets.GetSeedAsync("d2", ct));
    }
}

/// <summary>xunit 2 has no per-test token; this gives the suites one place to change.</summary>
internal static class TestContext
{
    public static CancellationToken Current => CancellationToken.None;
}
