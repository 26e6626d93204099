using System.Net;
using System.Text;
using CommunityFunnel.Lottery;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Tests.Lottery;

public sealed class DrandEntropyTests
{
    // Recorded beacon answers (no network in the tests): quicknet round 1000 and a mainnet round with its previous signature.
    private const string Quicknet1000 =
        "{\"round\":1000,\"randomness\":\"fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd\",\"signature\":\"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39\"}";

    private const string Mainnet5347804 =
        "{\"round\":5347804,\"randomness\":\"a87619810b1b41e70a01b8f903cf69977e026f80d9fd5e4c197c298a96c61cfe\",\"signature\":\"92daf5745411a415b539caebda0b523fa20d4d12b28eb2fe427decdf5dcc976046a9c83b54f1db991fa191ffca8fcbdc07563036664f6ba47dcf00593559286f667574f6b0a2ba0be2683463b5bf3472e5696ac28b75d5b2223dbb98a56c96a3\",\"previous_signature\":\"b01091c60b2b1a7c1f7a79610cd94e0c06e93bd305cf04229fe1571669257d16583a02e4038fdd755e6c39944b0116e30256874eede733a79c5e72c787db3889a1678c4ea6423b467de56208c5bd8e10cc090b6e0429f7f33653086a089cc3f8\"}";

    [Fact]
    public void Rounds_FollowTheChainsGenesisAndPeriod()
    {
        var quicknet = DrandChain.Quicknet;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692803367), quicknet.TimeOf(1));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1692803367 + (999 * 3)), quicknet.TimeOf(1000));
        Assert.Equal(1, quicknet.RoundAt(quicknet.Genesis));
        Assert.Equal(1, quicknet.RoundAt(quicknet.Genesis.AddSeconds(2.999)));
        Assert.Equal(2, quicknet.RoundAt(quicknet.Genesis.AddSeconds(3)));
        Assert.Equal(1000, quicknet.FirstRoundAtOrAfter(quicknet.TimeOf(1000)));
        Assert.Equal(1001, quicknet.FirstRoundAtOrAfter(quicknet.TimeOf(1000).AddTicks(1)));
        Assert.Equal(1, quicknet.FirstRoundAtOrAfter(quicknet.Genesis.AddDays(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => quicknet.RoundAt(quicknet.Genesis.AddTicks(-1)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1595431050 + (30L * 5347803)), DrandChain.Mainnet.TimeOf(5347804));
    }

    [Fact]
    public void TheRound_IsTheFirstAtOrAfterTheClosePlusTheMargin()
    {
        var source = new DrandEntropy(new HttpClient(), DrandChain.Quicknet, TimeSpan.FromSeconds(10));
        var close = DrandChain.Quicknet.TimeOf(1000).AddSeconds(-10); // + margin = exactly round 1000's time

        Assert.Equal(1000, source.RoundFor(close));
        Assert.Equal(1001, source.RoundFor(close.AddMilliseconds(1)));
        Assert.True(DrandChain.Quicknet.TimeOf(source.RoundFor(close)) >= close + source.SafetyMargin);
    }

    [Fact]
    public async Task GetEntropy_WaitsForTheRound_AsksTheRelayForIt_AndReturnsItsRandomness()
    {
        var close = DrandChain.Quicknet.TimeOf(1000).AddSeconds(-7);
        var time = new FakeTimeProvider(close);
        var relay = new RecordedRelay(Quicknet1000);
        using var http = new HttpClient(relay) { BaseAddress = new Uri("https://relay.example/") };
        var source = new DrandEntropy(http, DrandChain.Quicknet, TimeSpan.FromSeconds(5), time);

        var pending = source.GetEntropyAsync(new PublicEntropyRequest("d", close, new string('0', 64)), CancellationToken.None);
        Assert.False(pending.IsCompleted);
        Assert.Null(relay.Asked); // round 1000 is not due for another 7 s
        time.Advance(TimeSpan.FromSeconds(7));
        var entropy = await pending;

        Assert.Equal("https://relay.example/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/1000", relay.Asked!.AbsoluteUri);
        Assert.Equal("fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd", Convert.ToHexStringLower(entropy));
    }

    [Fact]
    public void ARecordedMainnetRound_Checks()
    {
        Assert.Equal(
            "a87619810b1b41e70a01b8f903cf69977e026f80d9fd5e4c197c298a96c61cfe",
            Convert.ToHexStringLower(DrandEntropy.CheckBeacon(Encoding.UTF8.GetBytes(Mainnet5347804), 5347804)));
    }

    [Theory]
    [InlineData("round 999", "\"round\":1000", "\"round\":999", "round 999")]
    [InlineData("randomness tampered", "\"randomness\":\"fe", "\"randomness\":\"0e", "SHA-256 of the signature")]
    [InlineData("signature tampered", "\"signature\":\"b4", "\"signature\":\"b5", "SHA-256 of the signature")]
    [InlineData("randomness missing", "\"randomness\":", "\"other\":", "\"randomness\" is missing")]
    [InlineData("not json", "{", "<", "not JSON")]
    public void AnAnswerThatIsNotTheRoundAskedFor_IsRefused(string name, string from, string to, string message)
    {
        var body = Quicknet1000.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Quicknet1000, body);

        var error = Assert.Throws<InvalidDataException>(() => DrandEntropy.CheckBeacon(Encoding.UTF8.GetBytes(body), 1000));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("drand round 1000", error.Message, StringComparison.Ordinal);
        Assert.NotNull(name);
    }

    [Fact]
    public async Task ARelayError_IsAnHttpRequestException()
    {
        var close = DrandChain.Quicknet.TimeOf(1000);
        using var http = new HttpClient(new RecordedRelay(null)) { BaseAddress = new Uri("https://relay.example/") };
        var source = new DrandEntropy(http, DrandChain.Quicknet, TimeSpan.Zero, new FakeTimeProvider(close));

        await Assert.ThrowsAsync<HttpRequestException>(() => source.GetEntropyAsync(new PublicEntropyRequest("d", close, new string('0', 64)), CancellationToken.None));
    }

    [Fact]
    public void TheRoundFormula_AtItsBoundaries()
    {
        var q = DrandChain.Quicknet;
        var onTheRound = q.TimeOf(1000);
        Assert.Equal(1000, new DrandEntropy(new HttpClient(), q, TimeSpan.Zero).RoundFor(onTheRound)); // margin 0, exactly on a round's time
        Assert.Equal(1001, new DrandEntropy(new HttpClient(), q, TimeSpan.Zero).RoundFor(onTheRound.AddTicks(1)));
        Assert.Equal(1000, q.RoundAt(onTheRound));
        Assert.Equal(999, q.RoundAt(onTheRound.AddTicks(-1)));
        Assert.Equal(1, new DrandEntropy(new HttpClient(), q, TimeSpan.Zero).RoundFor(q.Genesis.AddYears(-3))); // before the genesis: round 1
        Assert.Equal(1, q.FirstRoundAtOrAfter(q.Genesis));
        Assert.Equal(2, q.FirstRoundAtOrAfter(q.Genesis.AddTicks(1)));

        // An instant is an instant: the offset it is written with (Chatham, +13:45, DST or not) changes nothing.
        var chatham = onTheRound.ToOffset(new TimeSpan(13, 45, 0));
        Assert.Equal(q.RoundAt(onTheRound), q.RoundAt(chatham));
        Assert.Equal(q.FirstRoundAtOrAfter(onTheRound), q.FirstRoundAtOrAfter(chatham));
        Assert.Equal(5347804, DrandChain.Mainnet.FirstRoundAtOrAfter(DrandChain.Mainnet.TimeOf(5347804).AddSeconds(-29)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(86401)]
    public void ASafetyMarginOutOfRange_IsRefused(int seconds)
    {
        var margin = TimeSpan.FromSeconds(seconds);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DrandEntropy(new HttpClient(), DrandChain.Quicknet, margin));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddCommunityFunnel().UseDrandEntropy(DrandChain.Quicknet, margin));
    }

    [Fact]
    public void TheDefaultSafetyMargin_IsOneMinute_AndADayIsTheLongest()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), new DrandEntropy(new HttpClient(), DrandChain.Quicknet).SafetyMargin);
        Assert.Equal(TimeSpan.FromDays(1), new DrandEntropy(new HttpClient(), DrandChain.Quicknet, TimeSpan.FromDays(1)).SafetyMargin);
        Assert.Equal(TimeSpan.Zero, new DrandEntropy(new HttpClient(), DrandChain.Quicknet, TimeSpan.Zero).SafetyMargin);
    }

    [Fact]
    public async Task ADraw_NamesItsRoundAtCreation_FetchesExactlyThatRound_AndItsProofCarriesIt()
    {
        var close = DrandChain.Quicknet.TimeOf(1000).AddSeconds(-3);
        var (draws, time, relay) = Host(close.AddHours(-1), TimeSpan.FromSeconds(3));

        var created = await draws.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(close) });
        Assert.Equal(new DrandRound(DrandChain.Quicknet.ChainHash, 1000), created.DrandRound);
        await draws.OpenAsync("d");
        await draws.EnterAsync("d", "m-1", 2);
        await draws.EnterAsync("d", "m-2", 1);
        time.SetUtcNow(close);
        var closed = await draws.AdvanceAsync("d"); // closes; round 1000 is 3 s away: not yet
        Assert.Equal(DrawState.Closed, closed.State);
        Assert.Null(relay.Asked);
        var notYet = await Assert.ThrowsAsync<PublicEntropyNotYetException>(() => draws.FetchEntropyAsync("d"));
        Assert.Equal(DrandChain.Quicknet.TimeOf(1000), notYet.AvailableAt);
        Assert.Equal(1000, notYet.Round.Round);
        Assert.Contains("not yet: drand round 1000 is published at 2023-08-23T15:59:24Z", notYet.Message, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(3));
        var drawn = await draws.AdvanceAsync("d");
        var proof = drawn.Proof!;

        Assert.Equal("https://relay.example/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971/public/1000", relay.Asked!.AbsoluteUri);
        Assert.Equal(DrawProof.DrandVersion, proof.Version);
        Assert.Equal(created.Commitment, proof.Commitment);
        Assert.Equal("fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd", proof.PublicEntropy);
        Assert.Equal(
            new DrandBeacon(DrandChain.Quicknet.ChainHash, 1000, close, proof.PublicEntropy, "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"),
            proof.Drand);
        Assert.Equal(FairDraw.ComputeCommitment(Convert.FromHexString(proof.ServerSeed), created.DrandRound!), proof.Commitment);
        Assert.NotEqual(FairDraw.ComputeCommitment(Convert.FromHexString(proof.ServerSeed)), proof.Commitment);
        Assert.True(FairDraw.Verify(proof).IsValid);
        Assert.True(FairDraw.Verify(FairDrawJson.ReadProof(System.Text.Encoding.UTF8.GetBytes(FairDrawJson.ProofToJson(proof)))).IsValid);

        var replacement = await draws.ForfeitAsync("d", proof.Winners[0].Entry!);
        var after = (await draws.GetAsync("d"))!.Proof!;
        Assert.NotNull(replacement.Entry);
        Assert.Equal(proof.Drand, after.Drand);
        Assert.True(FairDraw.Verify(after).IsValid);
    }

    [Fact]
    public async Task TheRecordedRound_IsFetched_EvenWhenTheMarginChangedSinceTheCreation()
    {
        var close = DrandChain.Quicknet.TimeOf(1000).AddSeconds(-3);
        var (before, time, _) = Host(close.AddHours(-1), TimeSpan.FromSeconds(3));
        await before.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(close) });
        await before.OpenAsync("d");
        await before.EnterAsync("d", "m-1");
        time.SetUtcNow(close);
        await before.CloseAsync("d");
        var record = (await before.GetAsync("d"))!;

        // Another host with a 30 s margin would name round 1009 for this close; the draw keeps round 1000.
        var relay = new RecordedRelay(Quicknet1000);
        var other = new DrandEntropy(new HttpClient(relay) { BaseAddress = new Uri("https://relay.example/") }, DrandChain.Quicknet, TimeSpan.FromSeconds(30), new FakeTimeProvider(close.AddSeconds(3)));
        Assert.Equal(1009, other.RoundFor(close));
        var (randomness, _) = await other.FetchRoundAsync(record.DrandRound!.Round, CancellationToken.None);
        Assert.EndsWith("/public/1000", relay.Asked!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd", Convert.ToHexStringLower(randomness));
    }

    [Fact]
    public async Task ADrawThatClosedAfterItsRound_CannotBeDrawn()
    {
        var close = DrandChain.Quicknet.TimeOf(1000).AddSeconds(-3);
        var (draws, time, relay) = Host(close.AddHours(-1), TimeSpan.FromSeconds(3));
        await draws.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(close) });
        await draws.OpenAsync("d");
        await draws.EnterAsync("d", "m-1");
        time.SetUtcNow(DrandChain.Quicknet.TimeOf(1000).AddTicks(1)); // nobody closed it until just after round 1000
        await draws.CloseAsync("d");

        var error = await Assert.ThrowsAsync<DrawLifecycleException>(() => draws.FetchEntropyAsync("d"));
        Assert.Contains("cannot be drawn fairly", error.Message, StringComparison.Ordinal);
        Assert.Null(relay.Asked);
        var exact = Host(close.AddHours(-1), TimeSpan.FromSeconds(3));
        await exact.Draws.CreateAsync(new DrawDefinition("e", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(close) });
        await exact.Draws.OpenAsync("e");
        await exact.Draws.EnterAsync("e", "m-1");
        exact.Time.SetUtcNow(DrandChain.Quicknet.TimeOf(1000)); // closed exactly when round 1000 is published: still at or after the close
        await exact.Draws.CloseAsync("e");
        Assert.Equal(DrawState.EntropySupplied, (await exact.Draws.FetchEntropyAsync("e")).State);
    }

    [Fact]
    public async Task ADrandDraw_NeedsACloseTimeInTheFuture_AndTakesNoOtherEntropy()
    {
        var close = DrandChain.Quicknet.TimeOf(1000).AddSeconds(-3);
        var (draws, time, _) = Host(close.AddHours(-1), TimeSpan.FromSeconds(3));

        var manual = await Assert.ThrowsAsync<FairDrawInputException>(() => draws.CreateAsync(new DrawDefinition("m", [new PrizeTier("first", 1)])));
        Assert.Equal("schedule", manual.Field);
        var byCount = await Assert.ThrowsAsync<FairDrawInputException>(() => draws.CreateAsync(new DrawDefinition("c", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.WhenEntries(5) }));
        Assert.Equal("schedule", byCount.Field);

        await draws.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(close) });
        await draws.OpenAsync("d");
        await draws.EnterAsync("d", "m-1");
        time.SetUtcNow(close);
        await draws.CloseAsync("d");
        var supplied = await Assert.ThrowsAsync<DrawLifecycleException>(() => draws.SupplyEntropyAsync("d", new byte[32]));
        Assert.Contains("named drand round 1000", supplied.Message, StringComparison.Ordinal);
        var past = await Assert.ThrowsAsync<FairDrawInputException>(() => draws.CreateAsync(new DrawDefinition("p", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(close.AddSeconds(-10)) }));
        Assert.Contains("before now", past.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChainTheVerifiersDoNotKnow_CannotNameARound()
    {
        var custom = new DrandChain("private", new string('a', 64), 1692803367, 3);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(DrandChain.Quicknet.TimeOf(1000).AddHours(-1)));
        services.AddSingleton(new HttpClient(new RecordedRelay(Quicknet1000)));
        services.AddCommunityFunnel().UseInMemoryStores().UseDrandEntropy(custom);
        using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<FairDrawInputException>(() => provider.GetRequiredService<IDrawService>().CreateAsync(
            new DrawDefinition("d", [new PrizeTier("first", 1)]) { Schedule = DrawSchedule.At(DrandChain.Quicknet.TimeOf(1000)) }));
        Assert.Equal("drand.chain", error.Field);
    }

    [Fact]
    public async Task WithoutADrandSource_ADrawNamesNoRound_AndItsProofStaysFairDrawV1()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddCommunityFunnel().UseInMemoryStores();
        using var provider = services.BuildServiceProvider();
        var draws = provider.GetRequiredService<IDrawService>();
        var created = await draws.CreateAsync(new DrawDefinition("d", [new PrizeTier("first", 1)]));
        await draws.OpenAsync("d");
        await draws.EnterAsync("d", "m-1");
        await draws.CloseAsync("d");
        await draws.SupplyEntropyAsync("d", new byte[] { 1, 2, 3 });
        var proof = await draws.DrawAsync("d");

        Assert.Null(created.DrandRound);
        Assert.Null(proof.Drand);
        Assert.Equal(DrawProof.CurrentVersion, proof.Version);
        Assert.Equal(FairDraw.ComputeCommitment(Convert.FromHexString(proof.ServerSeed)), proof.Commitment);
        Assert.DoesNotContain("drand", FairDrawJson.ProofToJson(proof), StringComparison.Ordinal);
    }

    private static (IDrawService Draws, FakeTimeProvider Time, RecordedRelay Relay) Host(DateTimeOffset now, TimeSpan margin)
    {
        var time = new FakeTimeProvider(now);
        var relay = new RecordedRelay(Quicknet1000);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(new HttpClient(relay) { BaseAddress = new Uri("https://relay.example/") });
        services.AddCommunityFunnel().UseInMemoryStores().UseDrandEntropy(DrandChain.Quicknet, margin);
        var provider = services.BuildServiceProvider(validateScopes: true);
        Assert.IsType<DrandEntropy>(provider.GetRequiredService<IPublicEntropySource>());
        return (provider.GetRequiredService<IDrawService>(), time, relay);
    }

    private sealed class RecordedRelay(string? body) : HttpMessageHandler
    {
        public Uri? Asked { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Asked = request.RequestUri;
            return Task.FromResult(body is null
                ? new HttpResponseMessage(HttpStatusCode.BadGateway)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
