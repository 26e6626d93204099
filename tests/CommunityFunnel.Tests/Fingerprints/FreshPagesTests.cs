using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Fingerprints;

public sealed class FreshPagesTests
{
    [Theory]
    [InlineData(10)]
    [InlineData((1 << 20) / 16)] // 1 MB: pages written
    [InlineData((5 << 20) / 16)] // 5 MB
    public void Allocate_GivesAZeroedArrayOfTheLength(int length)
    {
        var array = FreshPages.Allocate<(ulong, ulong)>(length);

        Assert.Equal(length, array.Length);
        Assert.True(array.AsSpan().IndexOfAnyExcept(default((ulong, ulong))) < 0);
    }

    [Fact]
    public void WithPagesLeftToTheFirstAccess_TheArrayIsTheSame()
    {
        MemoryHelpers.PreTouch = false;
        try
        {
            var array = FreshPages.Allocate<long>(1 << 18);
            Assert.Equal(1 << 18, array.Length);
            Assert.True(array.AsSpan().IndexOfAnyExcept(0L) < 0);
        }
        finally
        {
            MemoryHelpers.PreTouch = true;
        }
    }

    [Fact]
    public void Resize_KeepsTheItems_AndZeroesTheRest()
    {
        var array = FreshPages.Allocate<long>(1000);
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = i + 1;
        }

        FreshPages.Resize(ref array, 1 << 20); // 8 MB

        Assert.Equal(1 << 20, array.Length);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), array.Take(1000));
        Assert.True(array.AsSpan(1000).IndexOfAnyExcept(0L) < 0);
    }
}
