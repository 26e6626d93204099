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
    [InlineData(1, 16)]
    [InlineData(2, 1 << 14)]
    [InlineData(3, 1 << 20)]
    public void AddRun_MarksExactlyTheIdsThatAddingOneByOneRejects(int seed, int expectedCount)
    {
        var run = new FingerprintSet(expectedCount);
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
}
