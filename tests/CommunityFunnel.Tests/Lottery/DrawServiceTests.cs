using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Lottery;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Tests.Lottery;

public sealed class DrawServiceTests
{
    private static readonly PrizeTier[] Tiers = [new("first", 1), new("second", 3), new("third", 10)];

    private static (IDrawService Service, FakeTimeProvider Time, ServiceProvider Provider) Create(Action<CommunityFunnelBuilder>? configure = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.FromHours(8)));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        var builder = services.AddCommunityFunnel().UseInMemoryStores();
        configure?.Invoke(builder);
        var provider = services.BuildServiceProvider(validateScopes: true);
        return (provider.GetRequiredService<IDrawService>(), time, provider);
    }

    [Fact]
    public async Task SetTickets_FromAStaleReading_ReturnsChanged_WithoutThrowing_AndTheEntryCountScheduleClosesTheDraw()
    {
        var (service, _, provider) = Create();
        using var _ = provider;
        await service.CreateAsync(new DrawDefinition("d", Tiers) { Schedule = DrawSchedule.WhenEntries(2), MaxTicketsPerEntry = 10 });
        await service.OpenAsync("d");

        Assert.Equal(EntryChangeOutcome.Applied, (await service.SetTicketsAsync("d", "a", 2, 0, default)).Outcome);
        var stale = await service.SetTicketsAsync("d", "a", 3, 0, default);
        Assert.Equal((EntryChangeOutcome.Changed, 2L), (stale.Outcome, stale.EntryTickets));
        Assert.Equal(3, (await service.SetTicketsAsync("d", "a", 3, 2, default)).EntryTickets);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => service.SetTicketsAsync("d", "a", -1, 3, default));
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.SetTicketsAsync("d", "a", 11, 3, default)); // over the per-entry limit

        Assert.Equal(EntryChangeOutcome.Applied, (await service.SetTicketsAsync("d", "b", 1, 0, default)).Outcome);
        Assert.Equal(DrawState.Closed, (await service.GetAsync("d"))!.State); // the second entry reached the schedule
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.SetTicketsAsync("d", "c", 1, 0, default));
    }

    [Fact]
    public async Task FullLifecycle_PublishesCommitmentThenRoot_AndTheProofVerifies()
    {
        var (service, time, provider) = Create();
        using var _ = provider;

        var created = await service.CreateAsync(new DrawDefinition("weekly", Tiers));
        Assert.Equal(DrawState.Created, created.State);
        Assert.Equal(64, created.Commitment.Length);
        Assert.Equal(time.GetUtcNow(), created.CreatedAt);

        await service.OpenAsync("weekly");
        for (var i = 0; i < 30; i++)
        {
            await service.EnterAsync("weekly", $"m-{i}", 1 + (i % 4));
        }

        var more = await service.AddTicketsAsync("weekly", "m-0", 5);
        Assert.Equal(6, more.EntryTickets);
        var withdrawn = await service.WithdrawAsync("weekly", "m-1");
        Assert.Equal(29, withdrawn.EntryCount);

        time.Advance(TimeSpan.FromHours(1));
        var closed = await service.CloseAsync("weekly");
        Assert.Equal(DrawState.Closed, closed.State);
        Assert.Equal(29, closed.EntryCount);
        Assert.NotNull(closed.EntriesRoot);
        Assert.Equal(time.GetUtcNow(), closed.ClosedAt);

        await service.SupplyEntropyAsync("weekly", Encoding.ASCII.GetBytes("beacon round 123456"));
        var proof = await service.DrawAsync("weekly");

        Assert.True(FairDraw.Verify(proof).IsValid);
        Assert.Equal(created.Commitment, proof.Commitment);
        Assert.Equal(closed.EntriesRoot, proof.EntriesRoot);
        Assert.Equal(14, proof.Winners.Count);
        Assert.DoesNotContain(proof.Entries, e => e.Id == "m-1");
        Assert.Equal(6, proof.Entries.Single(e => e.Id == "m-0").Weight);

        var lost = proof.Winners[2].Entry!;
        var replacement = await service.ForfeitAsync("weekly", lost);
        Assert.Equal(lost, replacement.Replaces);
        Assert.Equal(("second", 1), (replacement.Tier, replacement.Slot));
        var after = (await service.GetAsync("weekly"))!;
        Assert.Equal(DrawState.Drawn, after.State);
        Assert.Equal([lost], after.Proof!.Forfeited);
        Assert.Equal(proof.Winners, after.Proof.Winners.Take(14));
        Assert.True(FairDraw.Verify(after.Proof).IsValid);
    }

    [Fact]
    public async Task ARegisteredSeedSource_GivesTheServerSeed_PerDraw_WhileTheDefaultIsRandom()
    {
        var asked = new List<string>();
        var (service, _, provider) = Create(b => b.Services.AddSingleton<DrawSeedSource>((drawId, seed) =>
        {
            asked.Add(drawId);
            SHA256.HashData(Encoding.UTF8.GetBytes("rehearsal|" + drawId), seed);
        }));
        using var _ = provider;

        foreach (var id in new[] { "a", "b" })
        {
            var created = await service.CreateAsync(new DrawDefinition(id, Tiers));
            var expected = SHA256.HashData(Encoding.UTF8.GetBytes("rehearsal|" + id));
            Assert.Equal(FairDraw.ComputeCommitment(expected), created.Commitment);
            await service.OpenAsync(id);
            await service.EnterAsync(id, "m-1");
            await service.CloseAsync(id);
            await service.SupplyEntropyAsync(id, ReadOnlyMemory<byte>.Empty);
            var proof = await service.DrawAsync(id);
            Assert.Equal(Convert.ToHexStringLower(expected), proof.ServerSeed);
            Assert.True(FairDraw.Verify(proof).IsValid);
        }

        Assert.Equal(["a", "b"], asked);

        // Without one, two draws get different seeds from RandomNumberGenerator.
        var (random, _, other) = Create();
        using var __ = other;
        var one = await random.CreateAsync(new DrawDefinition("a", Tiers));
        var two = await random.CreateAsync(new DrawDefinition("b", Tiers));
        Assert.NotEqual(one.Commitment, two.Commitment);
        Assert.NotEqual(FairDraw.ComputeCommitment(SHA256.HashData(Encoding.UTF8.GetBytes("rehearsal|a"))), one.Commitment);
    }

    [Fact]
    public async Task OutOfOrderCalls_AreRefused_NamingStateAndRule()
    {
        var (service, _, provider) = Create();
        using var _ = provider;
        await service.CreateAsync(new DrawDefinition("d", Tiers));

        var early = await Assert.ThrowsAsync<DrawLifecycleException>(() => service.EnterAsync("d", "m-1"));
        Assert.Equal(DrawState.Created, early.State);
        Assert.Contains("only while the draw is Open", early.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.CloseAsync("d"));
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.DrawAsync("d"));

        await service.OpenAsync("d");
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.OpenAsync("d"));
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.SupplyEntropyAsync("d", new byte[4]));
        await service.EnterAsync("d", "m-1");
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.EnterAsync("d", "m-1"));
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.AddTicketsAsync("d", "m-2", 1));
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.ForfeitAsync("d", "m-1"));

        await service.CloseAsync("d");
        var late = await Assert.ThrowsAsync<DrawLifecycleException>(() => service.EnterAsync("d", "m-2"));
        Assert.Equal(DrawState.Closed, late.State);
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.WithdrawAsync("d", "m-1"));
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.DrawAsync("d"));
        var noSource = await Assert.ThrowsAsync<DrawLifecycleException>(() => service.FetchEntropyAsync("d"));
        Assert.Contains("UsePublicEntropySource", noSource.Message, StringComparison.Ordinal);

        await service.SupplyEntropyAsync("d", new byte[4]);
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.SupplyEntropyAsync("d", new byte[4]));
        await service.DrawAsync("d");
        var again = await Assert.ThrowsAsync<DrawLifecycleException>(() => service.DrawAsync("d"));
        Assert.Equal(DrawState.Drawn, again.State);
        await Assert.ThrowsAsync<FairDrawInputException>(() => service.ForfeitAsync("d", "nobody"));
        var unknown = await Assert.ThrowsAsync<DrawLifecycleException>(() => service.OpenAsync("missing"));
        Assert.Null(unknown.State);
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.CreateAsync(new DrawDefinition("d", Tiers)));
    }

    [Fact]
    public async Task BadDefinitionsAndEntries_AreRejected()
    {
        var (service, _, provider) = Create(b => b.ConfigureLottery(o => o.MaxSlotsPerDraw = 10));
        using var _ = provider;

        await Assert.ThrowsAsync<FairDrawInputException>(() => service.CreateAsync(new DrawDefinition("d", Tiers)));
        await Assert.ThrowsAsync<FairDrawInputException>(() => service.CreateAsync(new DrawDefinition("", [new("a", 1)])));
        await Assert.ThrowsAsync<FairDrawInputException>(() => service.CreateAsync(new DrawDefinition("d", [])));
        await Assert.ThrowsAsync<FairDrawInputException>(() => service.CreateAsync(new DrawDefinition("d", [new("a", 1)]) { MaxTicketsPerEntry = 0 }));

        await service.CreateAsync(new DrawDefinition("ok", [new("a", 1)]) { MaxTicketsPerEntry = 5 });
        await service.OpenAsync("ok");
        await Assert.ThrowsAsync<FairDrawInputException>(() => service.EnterAsync("ok", "bad\uDC00"));
        await Assert.ThrowsAsync<FairDrawInputException>(() => service.EnterAsync("ok", new string('x', 257)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => service.EnterAsync("ok", "m", 0));
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.EnterAsync("ok", "m", 6));
        await service.EnterAsync("ok", "m", 5);
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.AddTicketsAsync("ok", "m", 1));
    }

    [Fact]
    public async Task ScheduleAtTime_ClosesWhenTheClockReachesIt_ThenEntropyAndDraw()
    {
        var source = new FixedEntropy();
        var (service, time, provider) = Create(b => b.UsePublicEntropySource(source));
        using var _ = provider;
        var closesAt = time.GetUtcNow().AddDays(7);
        await service.CreateAsync(new DrawDefinition("w", Tiers) { Schedule = DrawSchedule.At(closesAt) });
        await service.OpenAsync("w");
        await service.EnterAsync("w", "a");
        await service.EnterAsync("w", "b", 3);

        time.SetUtcNow(closesAt.AddTicks(-1));
        Assert.Equal(DrawState.Open, (await service.AdvanceAsync("w")).State);

        time.SetUtcNow(closesAt);
        var late = await Assert.ThrowsAsync<DrawLifecycleException>(() => service.EnterAsync("w", "c"));
        Assert.Contains("scheduled time", late.Message, StringComparison.Ordinal);
        var record = await service.AdvanceAsync("w");

        Assert.Equal(DrawState.Drawn, record.State);
        Assert.Equal(closesAt, record.ClosedAt);
        Assert.Equal(new PublicEntropyRequest("w", closesAt, record.EntriesRoot!), source.Requests.Single());
        Assert.Equal(Convert.ToHexString(FixedEntropy.Value).ToLowerInvariant(), record.Proof!.PublicEntropy);
        Assert.Equal(2, record.Proof.EntryCount);
    }

    [Fact]
    public async Task ScheduleWhenEntries_ClosesOnTheNthEntry()
    {
        var (service, _, provider) = Create();
        using var _ = provider;
        await service.CreateAsync(new DrawDefinition("n", Tiers) { Schedule = DrawSchedule.WhenEntries(3) });
        await service.OpenAsync("n");
        await service.EnterAsync("n", "a");
        await service.EnterAsync("n", "b");
        Assert.Equal(DrawState.Open, (await service.GetAsync("n"))!.State);

        await service.EnterAsync("n", "c");

        var record = (await service.GetAsync("n"))!;
        Assert.Equal(DrawState.Closed, record.State);
        Assert.Equal(3, record.EntryCount);
        await Assert.ThrowsAsync<DrawLifecycleException>(() => service.EnterAsync("n", "d"));
    }

    [Fact]
    public async Task ConcurrentEntriesAndClose_NoEntryLandsAfterTheClose()
    {
        var (service, _, provider) = Create();
        using var _ = provider;
        await service.CreateAsync(new DrawDefinition("race", Tiers));
        await service.OpenAsync("race");
        var accepted = new ConcurrentBag<string>();
        var hundred = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each writer keeps entering until the close refuses it, so entries race the close for sure.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                try
                {
                    await service.EnterAsync("race", $"w{w}-{i}");
                    accepted.Add($"w{w}-{i}");
                    if (accepted.Count >= 100)
                    {
                        hundred.TrySetResult();
                    }
                }
                catch (DrawLifecycleException e) when (e.State == DrawState.Closed)
                {
                    return;
                }
            }
        })).ToList();
        await hundred.Task;

        var closed = await service.CloseAsync("race");
        await Task.WhenAll(writers);
        await service.SupplyEntropyAsync("race", Array.Empty<byte>());
        var proof = await service.DrawAsync("race");

        Assert.Equal(accepted.Order(StringComparer.Ordinal), proof.Entries.Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(closed.EntryCount, proof.EntryCount);
    }

    [Fact]
    public async Task ConcurrentDraws_StoreExactlyOneResult()
    {
        var (service, _, provider) = Create();
        using var _ = provider;
        await service.CreateAsync(new DrawDefinition("once", Tiers));
        await service.OpenAsync("once");
        for (var i = 0; i < 50; i++)
        {
            await service.EnterAsync("once", $"m{i}");
        }

        await service.CloseAsync("once");
        await service.SupplyEntropyAsync("once", new byte[] { 1, 2, 3 });

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                return await service.DrawAsync("once");
            }
            catch (DrawLifecycleException)
            {
                return null;
            }
        })));

        var record = (await service.GetAsync("once"))!;
        Assert.Contains(attempts, a => a is not null);
        Assert.All(attempts.Where(a => a is not null), a => Assert.Equal(FairDrawJson.ProofToJson(record.Proof!), FairDrawJson.ProofToJson(a!)));
        Assert.Equal(DrawState.Drawn, record.State);
    }

    [Fact]
    public async Task ADrawWithoutEntries_CannotBeDrawn()
    {
        var (service, _, provider) = Create();
        using var _ = provider;
        await service.CreateAsync(new DrawDefinition("empty", Tiers));
        await service.OpenAsync("empty");
        var closed = await service.CloseAsync("empty");

        Assert.Null(closed.EntriesRoot);
        var e = await Assert.ThrowsAsync<DrawLifecycleException>(() => service.SupplyEntropyAsync("empty", Array.Empty<byte>()));
        Assert.Contains("without entries", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecretStoreReturningAnotherSeed_IsCaughtByTheCommitment()
    {
        var (service, _, provider) = Create(b => b.UseDrawSecretStore<LyingSecretStore>());
        using var _ = provider;
        await service.CreateAsync(new DrawDefinition("lie", Tiers));
        await service.OpenAsync("lie");
        await service.EnterAsync("lie", "a");
        await service.CloseAsync("lie");
        await service.SupplyEntropyAsync("lie", Array.Empty<byte>());

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => service.DrawAsync("lie"));
        Assert.Contains("does not hash to the published commitment", e.Message, StringComparison.Ordinal);
    }

    private sealed class FixedEntropy : IPublicEntropySource
    {
        public static readonly byte[] Value = SHA256.HashData(Encoding.ASCII.GetBytes("drand round 4242"));

        public ConcurrentQueue<PublicEntropyRequest> Requests { get; } = new();

        public Task<byte[]> GetEntropyAsync(PublicEntropyRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            return Task.FromResult(Value);
        }
    }

    private sealed class LyingSecretStore : IDrawSecretStore
    {
        public Task StoreSeedAsync(string drawId, ReadOnlyMemory<byte> serverSeed, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<byte[]?> GetSeedAsync(string drawId, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(new byte[32]);
    }
}
