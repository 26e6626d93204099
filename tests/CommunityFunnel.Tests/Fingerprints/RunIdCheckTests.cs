using System.Globalization;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Fingerprints;

public sealed class RunIdCheckTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false, 1_000)]
    [InlineData(true, 1_000)]
    [InlineData(false, (3 * RunIdCheck.ChunkLength) + 17)]
    [InlineData(true, (3 * RunIdCheck.ChunkLength) + 17)]
    [InlineData(true, 150_000)]
    public void MarksExactlyTheIdsSeenBefore_InRunOrder_AfterEarlierIds(bool helper, int events)
    {
        // Ids from a pool about as large as the run: most are new, many repeat, near and far from their first
        // (also across chunks); some were added to the set before the run, one at a time.
        var random = new Random(events + (helper ? 1 : 0));
        string NextId() => "id-" + random.Next(events).ToString(CultureInfo.InvariantCulture);
        var set = new FingerprintSet();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < events / 10; i++)
        {
            var id = NextId();
            Assert.Equal(seen.Add(id), set.Add(id));
        }

        var list = new CommunityEvent[events];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = new CommunityEvent(NextId(), EventType.Message, "g", "m" + random.Next(5), T.AddSeconds(i));
        }

        var duplicate = new bool[list.Length];
        var check = RunIdCheck.Start(() => list, list.Length, set, new (ulong, ulong)[RunIdCheck.ChunkLength], duplicate, helper);
        var expected = 0;
        for (var i = 0; i < list.Length; i++)
        {
            if (i % RunIdCheck.ChunkLength == 0)
            {
                check.WaitFor(i / RunIdCheck.ChunkLength);
            }

            var isDuplicate = !seen.Add(list[i].Id);
            expected += isDuplicate ? 1 : 0;
            Assert.True(isDuplicate == check.IsDuplicate(i), $"event {i} ({list[i].Id})");
        }

        Assert.Equal(expected, check.Duplicates);
        Assert.Equal(seen.Count, set.Count);
        Assert.True(expected > events / 5, $"only {expected} duplicates");
    }
}
