namespace CommunityFunnel.Simulation;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small, fast PRNG whose output is fixed by its algorithm, so a
/// simulated log never changes across .NET versions (unlike <see cref="System.Random"/>). Only integer and basic
/// IEEE double arithmetic is used (no Math.Exp/Log), which is exact on every platform.
/// </summary>
internal struct SimRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Seeds the four state words from SplitMix64 over <paramref name="seed"/>.</summary>
    public SimRandom(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>
    /// An independent stream for (<paramref name="seed"/>, <paramref name="stream"/>, <paramref name="a"/>,
    /// <paramref name="b"/>): e.g. one member on one day. Streams do not depend on the order they are made in.
    /// </summary>
    public static SimRandom For(ulong seed, ulong stream, long a, long b = 0)
    {
        unchecked
        {
            var h = Mix64(seed + (0x9E3779B97F4A7C15UL * (stream + 1)));
            h = Mix64(h ^ (ulong)a);
            h = Mix64(h + (ulong)b);
            return new SimRandom(h);
        }
    }

    /// <summary>The SplitMix64 finalizer: a bijection on 64-bit values with good avalanche.</summary>
    public static ulong Mix64(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            var result = RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="n"/>); <paramref name="n"/> must be positive.</summary>
    public int Next(int n)
    {
        var high = Math.BigMul(NextUInt64(), (ulong)n, out _);
        return (int)high;
    }

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Between(int min, int maxExclusive) => min + Next(maxExclusive - min);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>
    /// A count with mean <paramref name="mean"/>: a binomial over a few trials, close to Poisson for small means
    /// and computed with plain arithmetic only.
    /// </summary>
    public int Count(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        var trials = mean < 1.5 ? 6 : 24;
        var p = Math.Min(1.0, mean / trials);
        var n = 0;
        for (var i = 0; i < trials; i++)
        {
            if (NextDouble() < p)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Picks an index with probability proportional to <paramref name="cumulative"/> steps (a running sum).</summary>
    public int Pick(ReadOnlySpan<int> cumulative)
    {
        var r = Next(cumulative[^1]);
        var i = 0;
        while (cumulative[i] <= r)
        {
            i++;
        }

        return i;
    }

    private static ulong SplitMix64(ref ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            return Mix64(x);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
