using CommunityFunnel.Activation;

namespace CommunityFunnel.Tests.Activation;

public sealed class FingerprintTableTests
{
    [Fact]
    public void EveryDistinctKey_GetsItsOwnValue_AcrossGrowth()
    {
        var table = new FingerprintTable(16);
        var reference = new Dictionary<(ulong, string), int>();
        var random = new Random(3);
        for (var i = 0; i < 50_000; i++)
        {
            var prefix = (ulong)random.Next(4);
            var text = "m" + random.Next(20_000);
            var isNew = !reference.TryGetValue((prefix, text), out var expected);
            if (isNew)
            {
                expected = reference.Count;
                reference[(prefix, text)] = expected;
            }

            var actual = table.GetOrAdd(prefix, text, expected, out var added);

            Assert.Equal(expected, actual);
            Assert.Equal(isNew, added);
        }

        Assert.Equal(reference.Count, table.Count);
    }

    [Fact]
    public void PrefixSeparatesEqualTexts_AndEmptyTextIsAKey()
    {
        var table = new FingerprintTable();

        Assert.Equal(0, table.GetOrAdd(1, "alice", 0, out _));
        Assert.Equal(1, table.GetOrAdd(2, "alice", 1, out var added));
        Assert.True(added);
        Assert.Equal(2, table.GetOrAdd(1, string.Empty, 2, out _));
        Assert.Equal(0, table.GetOrAdd(1, "alice", 9, out added));
        Assert.False(added);
    }

    [Fact]
    public void Set_AddsEachDistinctStringOnce_AcrossGrowth()
    {
        var set = new FingerprintSet(16);
        var reference = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(11);
        for (var i = 0; i < 50_000; i++)
        {
            var id = "ev-" + random.Next(30_000);
            Assert.Equal(reference.Add(id), set.Add(id));
        }

        Assert.Equal(reference.Count, set.Count);
        Assert.True(set.Add(string.Empty));
        Assert.False(set.Add(string.Empty));
    }
}
