using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Fingerprints;

public sealed class FingerprintSetTests
{
    [Fact]
    public void AddByFingerprint_AgreesWithAddByText_AcrossGrowth_AndTouchChangesNothing()
    {
        var byText = new FingerprintSet(16);
        var byPrint = new FingerprintSet(16);
        var reference = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(5);
        for (var i = 0; i < 20_000; i++)
        {
            var text = "ev-" + random.Next(8_000);
            var (hi, lo) = byPrint.Fingerprint(text);
            _ = byPrint.Touch(lo);

            var isNew = reference.Add(text);

            Assert.NotEqual(0UL, lo);
            Assert.Equal(isNew, byText.Add(text));
            Assert.Equal(isNew, byPrint.Add(hi, lo));
            Assert.False(byPrint.Add(text));
        }

        Assert.Equal(reference.Count, byText.Count);
        Assert.Equal(reference.Count, byPrint.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(5_000)]
    public void EnsureCapacity_KeepsWhatIsThere_AndAddsAsBefore(int capacity)
    {
        var set = new FingerprintSet(16);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(set.Add("id-" + i));
        }

        set.EnsureCapacity(capacity);

        for (var i = 0; i < 10; i++)
        {
            Assert.False(set.Add("id-" + i));
        }

        for (var i = 10; i < 6_000; i++)
        {
            Assert.True(set.Add("id-" + i));
        }

        Assert.Equal(6_000, set.Count);
    }

    [Theory]
    [InlineData(16, 4)]
    [InlineData(16, 64)]
    [InlineData(1_000, 1 << 17)]
    public void YoungTableAndMerges_AgreeWithAHashSet_OnCrowdedFingerprints(int initialCapacity, int maxYoungSlots)
    {
        // Fingerprints drawn from a small space of high bits and tags: long probe runs, runs that wrap around the end
        // of both tables, equal tags with different fingerprints, and duplicates both still young and already merged.
        var set = new FingerprintSet(initialCapacity, maxYoungSlots);
        var reference = new HashSet<(ulong, ulong)>();
        var random = new Random(initialCapacity + maxYoungSlots);
        for (var i = 0; i < 30_000; i++)
        {
            var top = random.Next(4) switch { 0 => 0UL, 1 => ulong.MaxValue << 60, _ => (ulong)random.NextInt64() << 1 };
            var lo = top | ((ulong)random.NextInt64(50) << 1) | 1;
            var hi = ((ulong)random.NextInt64(3) << 56) | (ulong)random.NextInt64(40);
            var isNew = reference.Add((hi, lo));
            Assert.Equal(isNew, set.Add(hi, lo));
            Assert.Equal(reference.Count, set.Count);
            if (i % 1_000 == 0)
            {
                set.EnsureCapacity(random.Next(0, set.Count * 3));
            }
        }

        foreach (var (hi, lo) in reference)
        {
            Assert.False(set.Add(hi, lo));
        }

        Assert.Equal(reference.Count, set.Count);
    }

    [Fact]
    public void YoungSlots_MustBeAPowerOfTwo()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FingerprintSet(16, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FingerprintSet(16, 24));
    }
}
