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
}
