using System.Buffers.Binary;
using System.Text.Json.Nodes;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Fingerprints;

/// <summary>The fingerprints are SipHash-2-4-128: the reference implementation's 64 vectors, and the (prefix, text) message layout.</summary>
public sealed class SipHash128Tests
{
    private static readonly JsonNode Vectors = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "siphash-2-4-128.json")))!;

    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 64)];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Hash_GivesTheReferenceTag(int length)
    {
        var key = Convert.FromHexString((string)Vectors["key"]!);
        var message = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var (first, second) = SipHash128.Hash(BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key.AsSpan(8)), message);

        var tag = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(tag, first);
        BinaryPrimitives.WriteUInt64LittleEndian(tag.AsSpan(8), second);
        Assert.Equal((string)Vectors["tags"]![length]!, Convert.ToHexString(tag).ToLowerInvariant());
    }

    [Theory]
    [InlineData(0UL, "")]
    [InlineData(7UL, "m")]
    [InlineData(ulong.MaxValue, "wx:成员-42 with a longer tail of characters")]
    public void TheFingerprintOfPrefixAndText_IsTheHashOfPrefixThenUtf16Bytes(ulong prefix, string text)
    {
        var message = new byte[8 + (2 * text.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(message, prefix);
        System.Text.Encoding.Unicode.GetBytes(text, message.AsSpan(8));
        var (k0, k1) = FingerprintTable.NewKey();

        var expected = SipHash128.Hash(k0, k1, message);
        var (hi, lo) = FingerprintTable.Compute(k0, k1, prefix, text);

        Assert.Equal(expected.First, hi);
        Assert.Equal(expected.Second | 1, lo);
    }
}
