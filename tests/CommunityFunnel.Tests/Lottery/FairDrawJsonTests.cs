using System.Text;
using System.Text.Json;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Tests.Lottery;

public sealed class FairDrawJsonTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Proof_RoundTrips_WithNullReplacements()
    {
        var seed = new byte[32];
        var entries = new DrawEntry[] { new("x", 1), new("y", 1) };
        var first = FairDraw.Run(new DrawInput("r", [new PrizeTier("p", 2)], entries, seed, default));
        var proof = FairDraw.Run(new DrawInput("r", [new PrizeTier("p", 2)], entries, seed, default, [first.Winners[0].Entry!]));
        Assert.Null(proof.Winners[^1].Entry);

        var json = FairDrawJson.ProofToJson(proof);
        var back = FairDrawJson.ReadProof(Utf8(json));

        Assert.Contains("\"entry\": null", json, StringComparison.Ordinal);
        Assert.Contains("\"replaces\": ", json, StringComparison.Ordinal);
        Assert.Equal(json, FairDrawJson.ProofToJson(back));
        Assert.True(FairDraw.Verify(back).IsValid);
    }

    [Theory]
    [InlineData("{\"drawId\":\"d\",\"drawId\":\"e\"}", "appears twice")]
    [InlineData("{\"drawId\":\"d\",\"extra\":1}", "unknown field 'extra'")]
    [InlineData("{\"drawId\":1}", "drawId: expected a string, found a number")]
    [InlineData("{\"prizes\":[{\"tier\":\"a\",\"count\":1.5}]}", "prizes[0].count")]
    [InlineData("{\"entries\":[{\"id\":\"a\",\"weight\":1e400}]}", "entries[0].weight")]
    [InlineData("{\"entries\":[{\"id\":\"a\",\"weight\":1,\"weight\":2}]}", "appears twice")]
    [InlineData("{\"entries\":[{\"id\":\"a\",\"color\":2}]}", "unknown field 'color'")]
    [InlineData("{\"entries\":[{\"weight\":2}]}", "required field 'id'")]
    [InlineData("{\"serverSeed\":\"0g\"}", "not hex")]
    [InlineData("{\"serverSeed\":\"abc\"}", "not hex")]
    [InlineData("{} {}", "malformed JSON")]
    [InlineData("", "malformed JSON")]
    [InlineData("{\"drawId\":\"d\"", "malformed JSON")]
    [InlineData("{\"drawId\":\"d\"} // note", "malformed JSON")]
    public void MalformedInput_IsRejected_NamingTheField(string json, string message)
    {
        var e = Assert.ThrowsAny<Exception>(() => FairDrawJson.ReadInput(Utf8(json)));

        Assert.True(e is JsonException or FormatException, e.GetType().Name);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DrawInput_ThreeUnrelatedErrors_AreAllNamedInOneException()
    {
        var json = """
            {"drawId":7,
             "prizes":[{"tier":"a","count":1},{"tier":"b","count":"two"}],
             "entries":[{"id":"x","weight":1},{"id":"y","colour":{"deep":[1,2]}},{"id":"z","weight":3},{"weight":4}],
             "serverSeed":"0g",
             "publicEntropy":"00",
             "extra":[{"a":1}]}
            """;

        var e = Assert.Throws<JsonException>(() => FairDrawJson.ReadInput(Utf8(json)));

        Assert.Equal(
            "drawId: expected a string, found a number; prizes[1].count: expected a number, found a string; "
            + "entries[1]: unknown field 'colour'; entries[3]: the required field 'id' is missing; "
            + "serverSeed: '0g' is not hex (rule: an even number of the digits 0-9a-f); input: unknown field 'extra'",
            e.Message);
    }

    [Fact]
    public void DrawInput_MissingFields_AreAllNamed_AndBrokenJsonStillStopsAtOnce()
    {
        var missing = Assert.Throws<JsonException>(() => FairDrawJson.ReadInput(Utf8("""{"drawId":"d","forfeited":null}""")));
        Assert.Equal(
            "input: the required field 'prizes' is missing; input: the required field 'entries' is missing; "
            + "input: the required field 'serverSeed' is missing; input: the required field 'publicEntropy' is missing",
            missing.Message);

        var broken = Assert.Throws<JsonException>(() => FairDrawJson.ReadInput(Utf8("""{"drawId":1,"entries":[{"id":"a",}]}""")));
        Assert.Contains("malformed JSON at line 1", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNesting_IsRejected_WithoutRecursion()
    {
        var json = "{\"winners\":[" + new string('[', 100_000) + new string(']', 100_000) + "]}";

        var e = Assert.ThrowsAny<Exception>(() => FairDrawJson.ReadProof(Utf8(json)));

        Assert.True(e is JsonException, e.GetType().Name);
    }

    [Fact]
    public void SizeCap_IsEnforced_OnNonSeekableStreams_WhileReading()
    {
        var proof = FairDraw.Run(new DrawInput("cap", [new PrizeTier("p", 1)], [new("x", 1)], new byte[32], default));
        var bytes = Utf8(FairDrawJson.ProofToJson(proof));
        using var stream = new NonSeekable(bytes);

        var e = Assert.Throws<InvalidDataException>(() => FairDrawJson.ReadProof(stream, maxBytes: bytes.Length - 1));
        Assert.Contains("size cap", e.Message, StringComparison.Ordinal);

        using var ok = new NonSeekable(bytes);
        Assert.True(FairDraw.Verify(FairDrawJson.ReadProof(ok, maxBytes: bytes.Length)).IsValid);
    }

    [Fact]
    public void InvalidUtf8Bytes_AreRejected()
    {
        byte[] json = [.. Utf8("{\"drawId\":\""), 0xFF, 0xFE, .. Utf8("\"}")];

        Assert.ThrowsAny<JsonException>(() => FairDrawJson.ReadInput(json));
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
