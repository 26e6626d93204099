using System.Text;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Tests.Lottery;

/// <summary>Every rule of the spec's "Inputs" table is enforced with an error naming the field and the rule.</summary>
public sealed class FairDrawInputTests
{
    private static readonly PrizeTier[] OnePrize = [new("first", 1)];

    private static DrawInput Valid() =>
        new("d", OnePrize, [new("a", 1), new("b", 2)], new byte[32], new byte[8]);

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "no entries", "entries", "at least one entry" },
        { "empty id", "entries[1].id", "non-empty" },
        { "weight 0", "entries[0].weight", "1 <= weight <= 4294967295" },
        { "weight -1", "entries[0].weight", "1 <= weight <= 4294967295" },
        { "weight 2^32", "entries[0].weight", "1 <= weight <= 4294967295" },
        { "duplicate", "entries", "ids are unique" },
        { "257 bytes", "entries[0].id", "at most 256 UTF-8 bytes" },
        { "lone surrogate", "entries[1].id", "valid Unicode" },
        { "seed 31", "serverSeed", "exactly 32 bytes" },
        { "seed 33", "serverSeed", "exactly 32 bytes" },
        { "entropy 4097", "publicEntropy", "0 to 4096 bytes" },
        { "empty drawId", "drawId", "drawId" },
        { "long drawId", "drawId", "256 UTF-8 bytes" },
        { "tier twice", "prizes[1].tier", "unique" },
        { "count 0", "prizes[0].count", "count >= 1" },
        { "too many slots", "prizes", "100000" },
        { "total weight", "entries", "2^53 - 1" },
        { "forfeit non-winner", "forfeited[0]", "current winner" },
        { "forfeit twice", "forfeited[1]", "current winner" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInput_IsRejected_NamingFieldAndRule(string name, string field, string rule)
    {
        var input = Valid();
        input = name switch
        {
            "no entries" => input with { Entries = [] },
            "empty id" => input with { Entries = [new("a", 1), new("", 1)] },
            "weight 0" => input with { Entries = [new("a", 0)] },
            "weight -1" => input with { Entries = [new("a", -1)] },
            "weight 2^32" => input with { Entries = [new("a", 1L << 32)] },
            "duplicate" => input with { Entries = [new("a", 1), new("b", 1), new("a", 2)] },
            "257 bytes" => input with { Entries = [new(new string('é', 128) + "x", 1)] },
            "lone surrogate" => input with { Entries = [new("a", 1), new("x\uD800", 1)] },
            "seed 31" => input with { ServerSeed = new byte[31] },
            "seed 33" => input with { ServerSeed = new byte[33] },
            "entropy 4097" => input with { PublicEntropy = new byte[4097] },
            "empty drawId" => input with { DrawId = "" },
            "long drawId" => input with { DrawId = new string('x', 257) },
            "tier twice" => input with { Prizes = [new("a", 1), new("a", 2)] },
            "count 0" => input with { Prizes = [new("a", 0)] },
            "too many slots" => input with { Prizes = [new("a", 60_000), new("b", 40_001)] },
            "total weight" => input with { Entries = new DrawEntry[2_097_153].Select(_ => new DrawEntry("m", uint.MaxValue)).ToArray() },
            "forfeit non-winner" => input with { Forfeited = ["nobody"] },
            "forfeit twice" => input with { Forfeited = [FairDraw.Run(input).Winners[0].Entry!, FairDraw.Run(input).Winners[0].Entry!] },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        var e = Assert.Throws<FairDrawInputException>(() => FairDraw.Run(input));

        Assert.Equal(field, e.Field);
        Assert.Contains(rule, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_ThemselvesAreAccepted()
    {
        var input = Valid() with
        {
            DrawId = new string('d', 256),
            Entries = [new(new string('é', 128), uint.MaxValue), new("\U0001F600", 1)],
            PublicEntropy = new byte[4096],
            Prizes = [new("a", 99_999), new("b", 1)],
        };

        var proof = FairDraw.Run(input);

        Assert.Equal(2, proof.Winners.Count);
        Assert.Equal(uint.MaxValue + 1L, proof.TotalWeight);
    }

    [Fact]
    public void DuplicateIds_AreFound_WhenTheyShareALongPrefix()
    {
        var entries = Enumerable.Range(0, 1000).Select(i => new DrawEntry("member-with-a-long-common-prefix-" + i, 1)).ToList();
        entries.Add(new DrawEntry("member-with-a-long-common-prefix-517", 3));

        var e = Assert.Throws<FairDrawInputException>(() => FairDraw.Run(Valid() with { Entries = entries }));

        Assert.Contains("entries[517] and entries[1000]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdsDifferingOnlyAfterTheEightBytePrefix_OrByNul_SortByBytes()
    {
        string[] ids = ["abcdefgh", "abcdefgh\0", "abcdefg", "abcdefgh\u0001", "abcdefg\0", "abcdefgi"];
        var proof = FairDraw.Run(Valid() with { Entries = ids.Select(id => new DrawEntry(id, 1)).ToList() });

        var expected = ids.OrderBy(id => Encoding.UTF8.GetBytes(id), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b)));
        Assert.Equal(expected, proof.Entries.Select(e => e.Id));
    }

    [Fact]
    public void InputOrder_DoesNotChangeTheResult()
    {
        var random = new Random(3);
        var input = FairDrawPropertyTests.RandomInput(random, forfeits: false);
        var shuffled = input with { Entries = input.Entries.OrderBy(_ => random.Next()).ToList() };

        Assert.Equal(FairDrawJson.ProofToJson(FairDraw.Run(input)), FairDrawJson.ProofToJson(FairDraw.Run(shuffled)));
    }

    [Fact]
    public void LargeDraws_HashingHalvesInParallel_GiveTheSequentialRoot()
    {
        var random = new Random(11);
        var entries = Enumerable.Range(0, 70_001).Select(i => new DrawEntry("m-" + random.Next(), random.Next(1, 100))).DistinctBy(e => e.Id).ToList();

        var proof = FairDraw.Run(Valid() with { Entries = entries });

        Assert.Equal(FairDraw.ComputeEntriesRoot(entries), proof.EntriesRoot);
        Assert.Equal(entries.Count, proof.EntryCount);
    }

    [Theory]
    [InlineData(65_536)]
    [InlineData(131_072)]
    [InlineData(300_001)]
    public void LargeDraws_HashingSubtreesInParallel_GiveTheSequentialRootAndDraw(int count)
    {
        var random = new Random(count);
        var entries = Enumerable.Range(0, count).Select(i => new DrawEntry("m-" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "-" + random.Next(1000), random.Next(1, 100))).ToList();

        var proof = FairDraw.Run(Valid() with { Entries = entries });

        Assert.Equal(FairDraw.ComputeEntriesRoot(entries), proof.EntriesRoot);
        Assert.Equal(entries.Count, proof.EntryCount);
        Assert.True(FairDraw.Verify(proof).IsValid);
        var reference = ReferenceFairDraw.Run(Valid() with { Entries = entries });
        Assert.Equal(reference.Root, proof.EntriesRoot);
        Assert.Equal(reference.Winners, proof.Winners);
    }

    [Fact]
    public void LargeDraws_SortedInParallelHalves_MatchTheReferenceOrder_WithLongSharedPrefixes()
    {
        // Ids sharing their first 16 bytes (and ids that are prefixes of others, with U+0000) need the full comparison.
        var random = new Random(5);
        var entries = Enumerable.Range(0, 40_000)
            .Select(i => (i % 4) switch
            {
                0 => "shared-prefix-16" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                1 => "shared-prefix-16",
                2 => "short\u0000" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "\u00e9-" + random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })
            .Distinct(StringComparer.Ordinal)
            .OrderBy(_ => random.Next())
            .Select(id => new DrawEntry(id, random.Next(1, 100)))
            .ToList();

        var proof = FairDraw.Run(Valid() with { Entries = entries });

        var reference = ReferenceFairDraw.Run(Valid() with { Entries = entries });
        Assert.Equal(reference.Root, proof.EntriesRoot);
        Assert.Equal(reference.Winners, proof.Winners);
        var sorted = entries.Select(e => e.Id).OrderBy(id => System.Text.Encoding.UTF8.GetBytes(id), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
        Assert.Equal(sorted, proof.Entries.Select(e => e.Id).ToList());
    }

    [Theory]
    [InlineData(10, 20)]
    [InlineData(39_990, 39_995)]
    [InlineData(5, 39_000)]
    public void LargeDraws_SortedInParallelHalves_RejectADuplicate_InEitherHalfOrAcross(int first, int second)
    {
        var entries = Enumerable.Range(0, 40_000).Select(i => new DrawEntry("id-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), 1)).ToList();
        entries[second] = entries[second] with { Id = entries[first].Id };

        var e = Assert.Throws<FairDrawInputException>(() => FairDraw.Run(Valid() with { Entries = entries }));

        Assert.Equal("entries", e.Field);
        Assert.Equal("ids are unique", e.Rule);
        Assert.Contains($"(entries[{first}] and entries[{second}])", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(7, -1, "ids are valid Unicode")]
    [InlineData(39_999, -1, "ids are valid Unicode")]
    [InlineData(-1, 25_000, "id is at most 256 UTF-8 bytes")]
    [InlineData(30_000, 100, "id is at most 256 UTF-8 bytes")]
    [InlineData(100, 30_000, "ids are valid Unicode")]
    public void LargeDraws_EncodedInParallelHalves_ReportTheFirstBadIdInInputOrder(int loneSurrogateAt, int tooLongAt, string rule)
    {
        var entries = Enumerable.Range(0, 40_000).Select(i => new DrawEntry("id-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), 1)).ToList();
        if (loneSurrogateAt >= 0)
        {
            entries[loneSurrogateAt] = entries[loneSurrogateAt] with { Id = "bad\ud800" + loneSurrogateAt.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        if (tooLongAt >= 0)
        {
            entries[tooLongAt] = entries[tooLongAt] with { Id = new string('x', 257) };
        }

        var first = loneSurrogateAt < 0 ? tooLongAt : tooLongAt < 0 ? loneSurrogateAt : Math.Min(loneSurrogateAt, tooLongAt);

        var e = Assert.Throws<FairDrawInputException>(() => FairDraw.Run(Valid() with { Entries = entries }));

        Assert.Equal($"entries[{first}].id", e.Field);
        Assert.Equal(rule, e.Rule);
    }
}
