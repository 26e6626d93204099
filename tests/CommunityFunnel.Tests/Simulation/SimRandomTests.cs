using CommunityFunnel.Simulation;

namespace CommunityFunnel.Tests.Simulation;

public sealed class SimRandomTests
{
    [Fact]
    public void Mix64_IsTheSplitMix64Finalizer()
    {
        // SplitMix64 seeded with 0: the first output is mix(0x9E3779B97F4A7C15) = 0xE220A8397B1DCDAF (reference value).
        Assert.Equal(0xE220A8397B1DCDAFUL, SimRandom.Mix64(0x9E3779B97F4A7C15UL));
    }

    [Fact]
    public void Xoshiro256StarStar_MatchesTheReferenceAlgorithm()
    {
        // Reference: a straightforward transcription of xoshiro256** (Blackman and Vigna) seeded the same way.
        var rng = new SimRandom(12345);
        var s = new ulong[4];
        var x = 12345UL;
        for (var i = 0; i < 4; i++)
        {
            unchecked
            {
                x += 0x9E3779B97F4A7C15UL;
            }

            s[i] = SimRandom.Mix64(x);
        }

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(ReferenceNext(s), rng.NextUInt64());
        }
    }

    [Fact]
    public void Streams_DependOnlyOnTheirKey()
    {
        var a = SimRandom.For(7, 3, 100, 5);
        var b = SimRandom.For(7, 3, 100, 5);
        var c = SimRandom.For(7, 3, 100, 6);

        Assert.Equal(a.NextUInt64(), b.NextUInt64());
        Assert.NotEqual(SimRandom.For(7, 3, 100, 5).NextUInt64(), c.NextUInt64());
    }

    [Fact]
    public void Next_StaysInRange_AndIsRoughlyUniform_ForSeededBounds()
    {
        var bounds = new SimRandom(99);
        for (var trial = 0; trial < 300; trial++)
        {
            var n = 1 + bounds.Next(1_000);
            var rng = SimRandom.For(1, 1, trial);
            var counts = new int[Math.Min(n, 4)];
            for (var i = 0; i < 200; i++)
            {
                var v = rng.Next(n);
                Assert.InRange(v, 0, n - 1);
                counts[(int)((long)v * counts.Length / n)]++;
            }

            Assert.All(counts, c => Assert.InRange(c, 200 / counts.Length / 3, 200));
        }
    }

    [Fact]
    public void NextDouble_IsInTheUnitInterval_WithMeanAboutAHalf()
    {
        var rng = new SimRandom(5);
        var sum = 0.0;
        for (var i = 0; i < 20_000; i++)
        {
            var v = rng.NextDouble();
            Assert.InRange(v, 0.0, 0.9999999999999999);
            sum += v;
        }

        Assert.InRange(sum / 20_000, 0.49, 0.51);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.2)]
    [InlineData(4.0)]
    public void Count_HasTheRequestedMean(double mean)
    {
        var rng = new SimRandom(11);
        var total = 0L;
        const int N = 20_000;
        for (var i = 0; i < N; i++)
        {
            total += rng.Count(mean);
        }

        Assert.InRange((double)total / N, mean * 0.95, (mean * 1.05) + 0.001);
    }

    [Fact]
    public void Pick_FollowsTheWeights()
    {
        int[] cumulative = [10, 10, 40]; // weights 10, 0, 30
        var rng = new SimRandom(3);
        var counts = new int[3];
        for (var i = 0; i < 8_000; i++)
        {
            counts[rng.Pick(cumulative)]++;
        }

        Assert.Equal(0, counts[1]);
        Assert.InRange(counts[0], 1_700, 2_300);
        Assert.InRange(counts[2], 5_700, 6_300);
    }

    private static ulong ReferenceNext(ulong[] s)
    {
        unchecked
        {
            var result = ulong.RotateLeft(s[1] * 5, 7) * 9;
            var t = s[1] << 17;
            s[2] ^= s[0];
            s[3] ^= s[1];
            s[1] ^= s[2];
            s[0] ^= s[3];
            s[2] ^= t;
            s[3] = ulong.RotateLeft(s[3], 45);
            return result;
        }
    }
}
