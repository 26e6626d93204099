using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Fingerprints;

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
    public void DistinctIds_InTheSameBucket_AreBothKept()
    {
        // Ids chosen so that their fingerprints start their probe in the same slot of a 16-slot table: a bucket is
        // where the search starts, never what decides identity.
        var table = new FingerprintTable(16);
        var ids = Enumerable.Range(0, 10_000).Select(i => $"member-{i}")
            .GroupBy(id => table.Fingerprint(id).Lo & 15)
            .First(g => g.Count() >= 5)
            .Take(5)
            .ToArray();

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i, table.GetOrAdd(0, ids[i], i, out var added));
            Assert.True(added);
        }

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(i, table.Find(0, ids[i]));
        }

        Assert.Equal(-1, table.Find(0, "member-not-there"));

        // Fingerprints that differ only in the high half, or only above the bucket bits, are distinct keys too.
        var raw = new FingerprintTable(16);
        Assert.Equal(1, raw.GetOrAdd(1UL, 0x11UL, 1, out _));
        Assert.Equal(2, raw.GetOrAdd(2UL, 0x11UL, 2, out _));
        Assert.Equal(3, raw.GetOrAdd(1UL, 0x10_0000_0011UL, 3, out _));
        Assert.Equal((1, 2, 3), (raw.Find(1UL, 0x11UL), raw.Find(2UL, 0x11UL), raw.Find(1UL, 0x10_0000_0011UL)));
        Assert.Equal(3, raw.Count);
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
