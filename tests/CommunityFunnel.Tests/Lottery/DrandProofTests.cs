using System.Text;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Tests.Lottery;

/// <summary>fair-draw/v1.1: a proof bound to a drand round named at creation, and every field of it changed.</summary>
public sealed class DrandProofTests
{
    // Quicknet round 1000 as a relay served it (the recorded answer of DrandEntropyTests).
    private const string Randomness = "fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd";
    private const string Signature = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";

    private static readonly DateTimeOffset Close = DrandChain.Quicknet.TimeOf(1000).AddSeconds(-30);

    /// <summary>A valid drand proof: three tiers, unicode ids, a forfeit.</summary>
    public static DrawProof ValidProof(string? signature = Signature)
    {
        var seed = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var entries = Enumerable.Range(0, 40).Select(i => new DrawEntry(i % 3 == 0 ? $"会员-{i}" : $"m-{i}", 1 + (i % 5))).ToList();
        var input = new DrawInput("draw-2026-12 drand", [new PrizeTier("first", 1), new PrizeTier("second", 2)], entries, seed, Convert.FromHexString(Randomness))
        {
            Drand = new DrandBeacon(DrandChain.Quicknet.ChainHash, 1000, Close, Randomness, signature),
        };
        var first = FairDraw.Run(input);
        return FairDraw.Run(input with { Forfeited = [first.Winners[0].Entry!] });
    }

    [Fact]
    public void ADrandProof_IsVersion1_1_Verifies_AndRoundTripsThroughJson()
    {
        var proof = ValidProof();
        var json = FairDrawJson.ProofToJson(proof);
        var read = FairDrawJson.ReadProof(Encoding.UTF8.GetBytes(json));

        Assert.Equal("fair-draw/v1.1", proof.Version);
        Assert.Equal(DrawVerification.Valid, FairDraw.Verify(proof));
        Assert.Equal(DrawVerification.Valid, FairDraw.Verify(read));
        Assert.Equal(proof.Drand, read.Drand);
        Assert.Contains(
            "\"publicEntropy\": \"" + Randomness + "\",\n  \"drand\": {\n    \"chain\": \"52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971\",\n    \"round\": 1000,\n    \"closedAt\": \"2023-08-23T15:58:54Z\",",
            json.ReplaceLineEndings("\n"),
            StringComparison.Ordinal);
        Assert.Equal(json, FairDrawJson.ProofToJson(read));
    }

    [Fact]
    public void WithoutASignature_TheProofStillVerifies()
    {
        var proof = ValidProof(signature: null);
        Assert.True(FairDraw.Verify(proof).IsValid);
        Assert.DoesNotContain("signature", FairDrawJson.ProofToJson(proof), StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommitment_BindsTheChainAndTheRound()
    {
        var seed = new byte[32];
        var named = FairDraw.ComputeCommitment(seed, new DrandRound(DrandChain.Quicknet.ChainHash, 1000));

        // SHA256(seed || "community-funnel/fair-draw/v1.1/drand" || chain hash || u64be(1000)), computed independently.
        var message = seed.Concat(Encoding.ASCII.GetBytes("community-funnel/fair-draw/v1.1/drand"))
            .Concat(Convert.FromHexString(DrandChain.Quicknet.ChainHash)).Concat(new byte[] { 0, 0, 0, 0, 0, 0, 3, 0xe8 }).ToArray();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(message)), named);
        Assert.NotEqual(named, FairDraw.ComputeCommitment(seed, new DrandRound(DrandChain.Quicknet.ChainHash, 1001)));
        Assert.NotEqual(named, FairDraw.ComputeCommitment(seed, new DrandRound(DrandChain.Mainnet.ChainHash, 1000)));
        Assert.NotEqual(named, FairDraw.ComputeCommitment(seed));
        Assert.Throws<FairDrawInputException>(() => FairDraw.ComputeCommitment(seed, new DrandRound("ab", 1000)));
        Assert.Throws<FairDrawInputException>(() => FairDraw.ComputeCommitment(seed, new DrandRound(DrandChain.Quicknet.ChainHash, 0)));
    }

    public static TheoryData<string, string, string> Tampered() => new()
    {
        // name, what changes in the JSON, the field named first
        { "a later round (still after the close): not the round the commitment binds", "\"round\": 1000", "\"round\": 1001" },
        { "an earlier round, before the close", "\"round\": 1000", "\"round\": 900" },
        { "round 0", "\"round\": 1000", "\"round\": 0" },
        { "round 2^32", "\"round\": 1000", "\"round\": 4294967296" },
        { "an unknown chain", "\"chain\": \"52db", "\"chain\": \"62db" },
        { "mainnet instead of quicknet", "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971", "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce" },
        { "the randomness", "\"randomness\": \"fe29", "\"randomness\": \"fe28" },
        { "the signature", "\"signature\": \"b446", "\"signature\": \"b447" },
        { "a close after the round", "\"closedAt\": \"2023-08-23T15:58:54Z\"", "\"closedAt\": \"2023-08-23T15:59:24.0000001Z\"" },
        { "the public entropy", "\"publicEntropy\": \"fe29", "\"publicEntropy\": \"fe28" },
        { "the version", "\"fair-draw/v1.1\"", "\"fair-draw/v1\"" },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public void AChangedDrandField_IsInvalid_WithTheFieldNamed(string name, string from, string to)
    {
        var json = FairDrawJson.ProofToJson(ValidProof());
        Assert.Contains(from, json, StringComparison.Ordinal);
        var changed = FairDrawJson.ReadProof(Encoding.UTF8.GetBytes(json.Replace(from, to, StringComparison.Ordinal)));

        var result = FairDraw.Verify(changed);

        Assert.False(result.IsValid, name);
        Assert.Equal(ExpectedField(name), result.Field);
    }

    [Fact]
    public void TheDifferences_AreWorded_AsDrawVerifyPrintsThem()
    {
        var proof = ValidProof();
        string Text(DrawProof p) => FairDraw.Verify(p).ToString();

        Assert.Equal(
            "drand.round: expected at least 990 (published at or after drand.closedAt), actual 900",
            Text(proof with { Drand = proof.Drand! with { Round = 900 } }));
        Assert.Equal(
            "drand.closedAt: expected at or before \"2023-08-23T15:59:24Z\" (when round 1000 was published), actual \"2023-08-23T15:59:30Z\"",
            Text(proof with { Drand = proof.Drand! with { ClosedAt = Close.AddSeconds(36) } }));
        Assert.Equal(
            "drand.chain: expected a drand chain this verifier knows (quicknet or mainnet), actual \"" + new string('0', 64) + "\"",
            Text(proof with { Drand = proof.Drand! with { Chain = new string('0', 64) } }));
        Assert.StartsWith("drand.randomness: expected \"fe290bec", Text(proof with { Drand = proof.Drand! with { Randomness = new string('1', 64) } }), StringComparison.Ordinal);
        Assert.Equal(
            "publicEntropy: expected \"" + Randomness + "\", actual \"00\"",
            Text(proof with { PublicEntropy = "00" }));
        Assert.StartsWith("commitment: expected \"", Text(proof with { Drand = proof.Drand! with { Round = 1001 } }), StringComparison.Ordinal);
    }

    [Fact]
    public void TakingTheDrandObjectAway_MakesTheCommitmentWrong()
    {
        var proof = ValidProof();
        var stripped = proof with { Version = DrawProof.CurrentVersion, Drand = null };

        Assert.Equal("commitment", FairDraw.Verify(stripped).Field);
    }

    [Fact]
    public void AnEarlierCloseThanTheRound_AndARoundExactlyAtTheClose_AreValid()
    {
        var proof = ValidProof();
        Assert.True(FairDraw.Verify(proof with { Drand = proof.Drand! with { ClosedAt = Close.AddHours(-5) } }).IsValid);
        Assert.True(FairDraw.Verify(proof with { Drand = proof.Drand! with { ClosedAt = DrandChain.Quicknet.TimeOf(1000) } }).IsValid);
        Assert.Equal("drand.closedAt", FairDraw.Verify(proof with { Drand = proof.Drand! with { ClosedAt = DrandChain.Quicknet.TimeOf(1000).AddTicks(1) } }).Field);
    }

    [Fact]
    public void Run_RefusesADrandInputThatBreaksARule()
    {
        var seed = new byte[32];
        var input = new DrawInput("d", [new PrizeTier("first", 1)], [new DrawEntry("a", 1)], seed, Convert.FromHexString(Randomness));
        var beacon = new DrandBeacon(DrandChain.Quicknet.ChainHash, 1000, Close, Randomness, Signature);

        Assert.Equal("publicEntropy", Assert.Throws<FairDrawInputException>(() => FairDraw.Run(input with { PublicEntropy = new byte[32], Drand = beacon })).Field);
        Assert.Equal("drand.round", Assert.Throws<FairDrawInputException>(() => FairDraw.Run(input with { Drand = beacon with { ClosedAt = Close.AddHours(1) } })).Field);
        Assert.Equal("drand.chain", Assert.Throws<FairDrawInputException>(() => FairDraw.Run(input with { Drand = beacon with { Chain = "x" } })).Field);
        Assert.Equal("drand.randomness", Assert.Throws<FairDrawInputException>(() => FairDraw.Run(input with { Drand = beacon with { Signature = "00" } })).Field);
    }

    [Theory]
    [InlineData("\"closedAt\": \"2023-08-23T15:58:54Z\"", "\"closedAt\": \"2023-08-23 15:58:54\"", "drand.closedAt")]
    [InlineData("\"closedAt\": \"2023-08-23T15:58:54Z\"", "\"closedAt\": \"2023-08-23T15:58:54+08:00\"", "drand.closedAt")]
    [InlineData("\"round\": 1000", "\"round\": \"1000\"", "drand.round")]
    [InlineData("\"round\": 1000,", "\"round\": 1000, \"extra\": 1,", "unknown field 'extra'")]
    [InlineData("\"round\": 1000,", "", "'round' is missing")]
    public void ABadlyShapedDrandObject_IsRefusedWhenRead(string from, string to, string message)
    {
        var json = FairDrawJson.ProofToJson(ValidProof());
        Assert.Contains(from, json, StringComparison.Ordinal);
        var error = Assert.Throws<System.Text.Json.JsonException>(() => FairDrawJson.ReadProof(Encoding.UTF8.GetBytes(json.Replace(from, to, StringComparison.Ordinal))));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static string ExpectedField(string name) => name switch
    {
        "a later round (still after the close): not the round the commitment binds" => "commitment",
        "an earlier round, before the close" => "drand.round",
        "round 0" => "drand.round",
        "round 2^32" => "drand.round",
        "an unknown chain" => "drand.chain",
        "mainnet instead of quicknet" => "drand.round", // mainnet's round 1000 is in 2020, before the close
        "the randomness" => "drand.randomness",
        "the signature" => "drand.randomness",
        "a close after the round" => "drand.closedAt",
        "the public entropy" => "publicEntropy",
        "the version" => "version",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
