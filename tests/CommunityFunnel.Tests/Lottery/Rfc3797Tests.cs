using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Tests.Lottery;

public sealed class Rfc3797Tests
{
    public static IEnumerable<object[]> Cases() =>
        Vectors.Load("rfc3797-example.json")["cases"]!.AsArray().Select((c, i) => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void KeyAndSelection_MatchThePublishedRuns(int index)
    {
        var c = Vectors.Load("rfc3797-example.json")["cases"]![index]!;
        // Sources as people type them: numbers separated by spaces, in the order published (not sorted).
        var sources = c["sources"]!.AsArray()
            .Select(s => string.Join(' ', s!.AsArray().Select(n => n!.ToString())))
            .ToList();

        var key = Rfc3797.BuildKey(sources);
        var selected = Rfc3797.Select(key, c["poolSize"]!.GetValue<int>(), c["count"]!.GetValue<int>());

        Assert.Equal(c["key"]!.GetValue<string>(), key);
        Assert.Equal(c["selected"]!.AsArray().Select(n => n!.GetValue<int>()), selected);
    }

    [Fact]
    public void WorkedExample_Md5Values_MatchSection6()
    {
        var c = Vectors.Load("rfc3797-example.json")["cases"]![0]!;
        var key = Encoding.ASCII.GetBytes(c["key"]!.GetValue<string>());
        var md5 = c["md5"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        for (var i = 0; i < md5.Count; i++)
        {
            byte[] message = [0, (byte)i, .. key, 0, (byte)i];
#pragma warning disable CA5351 // checking the RFC's published MD5 values
            Assert.Equal(md5[i], Convert.ToHexString(MD5.HashData(message)));
#pragma warning restore CA5351
        }
    }

    [Fact]
    public void LeadingZeros_AreDropped_AndNumbersSortNumerically()
    {
        Assert.Equal("8285182./", Rfc3797.BuildKey(["08285182"]));
        Assert.Equal("0./2.10.100./", Rfc3797.BuildKey(["000", "100,10 2"]));
    }

    [Theory]
    [InlineData("12 x3")]
    [InlineData("")]
    [InlineData("1.5")]
    [InlineData("-4")]
    public void NonNumericOrEmptySources_AreRejected_NamingTheSource(string source)
    {
        var e = Assert.Throws<ArgumentException>(() => Rfc3797.BuildKey(["1", source]));
        Assert.Contains("sources[1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectingTheWholePool_IsAPermutation()
    {
        var selected = Rfc3797.Select("1./", 50, 50);
        Assert.Equal(Enumerable.Range(1, 50), selected.Order());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 6)]
    [InlineData(5, -1)]
    public void BadPoolOrCount_IsRejected(int pool, int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc3797.Select("1./", pool, count));
    }
}
