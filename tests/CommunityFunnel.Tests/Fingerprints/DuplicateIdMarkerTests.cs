using System.Globalization;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Fingerprints;

public sealed class DuplicateIdMarkerTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 150_000)]
    [InlineData(3, 150_000)]
    [InlineData(2, 300_000)]
    public void MarksExactlyTheLaterOccurrences_InListOrder(int threads, int events)
    {
        // Ids from a pool about as large as the list: most are new, many repeat, near and far from their first.
        var random = new Random(threads * 7 + events);
        var list = new CommunityEvent[events];
        for (var i = 0; i < list.Length; i++)
        {
            var id = "id-" + random.Next(events).ToString(CultureInfo.InvariantCulture);
            list[i] = new CommunityEvent(id, EventType.Message, "g", "m" + random.Next(5), T.AddSeconds(i));
        }

        var duplicate = new bool[list.Length];
        var count = DuplicateIdMarker.Mark(() => list, duplicate, threads);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var expected = 0;
        for (var i = 0; i < list.Length; i++)
        {
            var isDuplicate = !seen.Add(list[i].Id);
            expected += isDuplicate ? 1 : 0;
            Assert.True(isDuplicate == duplicate[i], $"event {i} ({list[i].Id})");
        }

        Assert.Equal(expected, count);
        Assert.True(expected > events / 5, $"only {expected} duplicates");
    }
}
