using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Tests.Lottery;

public sealed class FairDrawVectorTests
{
    [Theory]
    [MemberData(nameof(Vectors.FairDrawCases), MemberType = typeof(Vectors))]
    public void Run_ReproducesTheVectorProof_FieldForFieldAndInSpecOrder(string name)
    {
        var vector = Vectors.FairDrawCase(name);
        var input = FairDrawJson.ReadInput(Vectors.ToUtf8(vector["input"]!));

        var proof = FairDraw.Run(input);
        var json = JsonNode.Parse(FairDrawJson.ProofToJson(proof))!;

        Assert.True(JsonNode.DeepEquals(vector["proof"], json), $"{name}: got {json.ToJsonString()}");
        Assert.Equal(
            vector["proof"]!.AsObject().Select(p => p.Key),
            json.AsObject().Select(p => p.Key));
    }

    [Theory]
    [MemberData(nameof(Vectors.FairDrawCases), MemberType = typeof(Vectors))]
    public void Verify_AcceptsTheVectorProof(string name)
    {
        var proof = FairDrawJson.ReadProof(Vectors.ToUtf8(Vectors.FairDrawCase(name)["proof"]!));

        Assert.Equal(DrawVerification.Valid, FairDraw.Verify(proof));
    }

    [Theory]
    [MemberData(nameof(Vectors.FairDrawCases), MemberType = typeof(Vectors))]
    public void InclusionProof_MatchesTheVector_AndVerifies(string name)
    {
        var vector = Vectors.FairDrawCase(name);
        var proof = FairDrawJson.ReadProof(Vectors.ToUtf8(vector["proof"]!));
        var expected = vector["inclusion"]!;
        var id = expected["entry"]!.GetValue<string>();

        var inclusion = FairDraw.GetInclusionProof(proof, id);

        Assert.Equal(expected["leafIndex"]!.GetValue<long>(), inclusion.LeafIndex);
        Assert.Equal(expected["treeSize"]!.GetValue<long>(), inclusion.TreeSize);
        Assert.Equal(expected["path"]!.AsArray().Select(p => p!.GetValue<string>()), inclusion.Path);
        Assert.Equal(proof.EntriesRoot, inclusion.Root);
        var weight = proof.Entries.Single(e => e.Id == id).Weight;
        Assert.True(FairDraw.VerifyInclusion(inclusion, weight));
        Assert.False(FairDraw.VerifyInclusion(inclusion, weight + 1));
    }

    [Fact]
    public void CanonicalOrder_IsUtf8ByteOrder_NotUtf16()
    {
        // U+1F600 is a surrogate pair in UTF-16 (0xD83D...) so it sorts before U+FF01 there; in UTF-8 (F0 ...) it sorts after EF BC 81.
        var seed = new byte[32];
        var input = new DrawInput("order", [new PrizeTier("a", 1)], [new("\U0001F600", 1), new("\uFF01", 1), new("b", 1), new("ab", 1), new("a", 1)], seed, default);

        var proof = FairDraw.Run(input);

        Assert.Equal(["a", "ab", "b", "\uFF01", "\U0001F600"], proof.Entries.Select(e => e.Id));
        Assert.True(string.CompareOrdinal("\U0001F600", "\uFF01") < 0);
    }

    [Fact]
    public void Forfeits_DrawReplacements_ContinuingTheStream_AndRecordNullWhenNothingRemains()
    {
        var seed = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var entries = new DrawEntry[] { new("x", 1), new("y", 2), new("z", 3) };
        var first = FairDraw.Run(new DrawInput("f", [new PrizeTier("p", 2)], entries, seed, Encoding.UTF8.GetBytes("beacon")));
        var w0 = first.Winners[0].Entry!;
        var w1 = first.Winners[1].Entry!;

        var once = FairDraw.Run(new DrawInput("f", [new PrizeTier("p", 2)], entries, seed, Encoding.UTF8.GetBytes("beacon"), [w1]));
        var replacement = once.Winners[2];
        Assert.Equal(first.Winners, once.Winners.Take(2));
        Assert.Equal(w1, replacement.Replaces);
        Assert.Equal(1, replacement.Slot);
        Assert.NotNull(replacement.Entry);
        Assert.DoesNotContain(replacement.Entry, new[] { w0, w1 });

        var twice = FairDraw.Run(new DrawInput("f", [new PrizeTier("p", 2)], entries, seed, Encoding.UTF8.GetBytes("beacon"), [w1, replacement.Entry!]));
        Assert.Equal(new DrawWinner("p", 1, null, null, replacement.Entry), twice.Winners[3]);
        Assert.Equal(DrawVerification.Valid, FairDraw.Verify(twice));
    }

    [Fact]
    public void MoreSlotsThanEntries_LeavesSlotsUnfilled_AndUnrecorded()
    {
        var proof = FairDraw.Run(new DrawInput("few", [new PrizeTier("a", 2), new PrizeTier("b", 5)], [new("m1", 1), new("m2", 1), new("m3", 9)], new byte[32], default));

        Assert.Equal(3, proof.Winners.Count);
        Assert.Equal(["a", "a", "b"], proof.Winners.Select(w => w.Tier));
        Assert.Equal(3, proof.Winners.Select(w => w.Entry).Distinct().Count());
    }
}
