using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Fingerprints;

public sealed class FreshPagesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(70_000)]
    [InlineData((1 << 16) + 3)]
    public void Allocate_GivesAZeroedArrayOfTheLength_SmallOrLarge(int length)
    {
        // 16-byte items: from 65 536 of them (1 MB) the pages are written to up front.
        var array = FreshPages.Allocate<(ulong, ulong)>(length);

        Assert.Equal(length, array.Length);
        Assert.All(array, item => Assert.Equal((0UL, 0UL), item));
    }
}
