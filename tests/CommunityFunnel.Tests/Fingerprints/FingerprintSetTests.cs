using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Fingerprints;

public sealed class FingerprintSetTests
{
    [Fact]
    public void AddByFingerprint_AgreesWithAddByText_AcrossGrowth()
    {
        var byText = new FingerprintSet(16);
        var byPrint = new FingerprintSet(16);
        var reference = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(5);
        for (var i = 0; i < 20_000; i++)
        {
            var text = "ev-" + random.Next(8_000);
            var (hi, lo) = byPrint.Fingerprint(text);
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

    /// <summary>A run added at once marks what one-by-one adds would reject: repeats within the run, ids from earlier runs, across growth.</summary>
    [Theory]
    [InlineData(1, 16, 20)]
    [InlineData(2, 1 << 14, 20)]
    [InlineData(3, 1 << 20, 20)]
    [InlineData(4, 16, 6)]
    public void AddRun_MarksExactlyTheIdsThatAddingOneByOneRejects(int seed, int expectedCount, int segmentBits)
    {
        var run = new FingerprintSet(expectedCount, segmentBits);
        var reference = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(seed);
        var added = 0;
        for (var r = 0; r < 12; r++)
        {
            var length = random.Next(0, 9_000);
            var texts = Enumerable.Range(0, length).Select(_ => "id-" + random.Next(30_000)).ToArray();
            var prints = texts.Select(run.Fingerprint).ToArray();
            var duplicate = new bool[length + 3];
            var expected = texts.Select(t => !reference.Add(t)).ToArray();

            var duplicates = run.AddRun(prints, duplicate);

            Assert.Equal(expected, duplicate.Take(length));
            Assert.Equal(expected.Count(d => d), duplicates);
            Assert.All(duplicate.Skip(length), Assert.False);
            added += length - duplicates;
            Assert.Equal(added, run.Count);
        }

        Assert.True(added > 20_000);
        Assert.All(reference, t => Assert.False(run.Add(t)));
    }

    /// <summary>Tables of many small segments grow in place; what was added is found again, what was not is added.</summary>
    [Theory]
    [InlineData(11, 4)]
    [InlineData(12, 5)]
    [InlineData(13, 8)]
    public void GrowingInPlace_AgreesWithAReferenceSet(int seed, int segmentBits)
    {
        var set = new FingerprintSet(16, segmentBits);
        var reference = new HashSet<(ulong, ulong)>();
        var random = new Random(seed);
        for (var i = 0; i < 60_000; i++)
        {
            // Few distinct high halves and clustered low halves: many equal homes, long probe runs, repeats.
            var print = ((ulong)random.Next(4), ((ulong)random.Next(40_000) << 1) | 1);
            Assert.Equal(reference.Add(print), set.Add(print.Item1, print.Item2));
            if (i % 7_919 == 0)
            {
                set.EnsureCapacity(set.Count * (1 + random.Next(9)));
            }
        }

        Assert.True(set.Length > 1 << (segmentBits + 3), "the table should have grown to several segments");
        Assert.Equal(reference.Count, set.Count);
        Assert.All(reference, p => Assert.False(set.Add(p.Item1, p.Item2)));
    }

    /// <summary>
    /// A cluster that wraps round the end of a 32-slot table, grown in place: entries that stay and move to the
    /// appended part, one that runs off the end of the grown table, and entries whose paths cross each other's slots.
    /// Visiting the slots in plain order from 0 (not from after the first empty one) loses <c>stays</c>.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void GrowingInPlace_KeepsAClusterThatWrapsRoundTheEnd(int factor)
    {
        var set = new FingerprintSet(16, segmentBits: 4);
        Assert.Equal(32, set.Length);
        var last = 31UL + (32UL * (ulong)((2 * factor) - 1)); // old home 31, new home the grown table's last slot
        ulong[] lows =
        [
            last,              // slot 31; moves to the last slot
            last + 256,        // home 31, wraps to slot 0; its new home is taken: it runs off the end
            31 + 256,          // home 31, wraps to slot 1; stays home at 31
            32,                // home 0, slot 2; moves to 32
            1,                 // home 1, slot 3; moves back to 1
        ];
        foreach (var lo in lows)
        {
            Assert.True(set.Add(7, lo));
        }

        set.EnsureCapacity(set.Count + (30 * factor));

        Assert.Equal(64 * factor, set.Length);
        Assert.All(lows, lo => Assert.False(set.Add(7, lo), $"lost {lo}"));
        Assert.Equal(lows.Length, set.Count);
    }
}
