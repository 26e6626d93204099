using System.Globalization;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Events;

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

        var check = new RunIdCheck(() => list, list.Length, set, new (ulong, ulong)[RunIdCheck.PrintsLength], new bool[list.Length], helper);
        check.Publish(list.Length, complete: true);
        var expected = 0;
        for (var i = 0; i < list.Length; i++)
        {
            if (i % RunIdCheck.ChunkLength == 0)
            {
                Assert.Equal((i, Math.Min(RunIdCheck.ChunkLength, events - i)), check.WaitFor(i / RunIdCheck.ChunkLength));
            }

            var isDuplicate = !seen.Add(list[i].Id);
            expected += isDuplicate ? 1 : 0;
            Assert.True(isDuplicate == check.IsDuplicate(i), $"event {i} ({list[i].Id})");
        }

        Assert.Equal(expected, check.Duplicates);
        Assert.Equal(seen.Count, set.Count);
        Assert.True(expected > events / 5, $"only {expected} duplicates");
    }

    [Fact]
    public async Task ManyRunsWithAHelper_AllFinish_WithTheFlagsOfOneSet()
    {
        // Many short runs (three or four chunks, so that a waiting caller can fingerprint all the chunks ahead), each
        // with a helper thread: the two threads hand chunks and turns to each other and wait for each other, here
        // blocking at once (no spinning) until woken. A lost wake-up would hang a run.
        var work = Task.Run(() =>
        {
            var random = new Random(5);
            var set = new FingerprintSet();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var run = 0; run < 60; run++)
            {
                var events = Enumerable.Range(0, (2 * RunIdCheck.ChunkLength) + random.Next(2 * RunIdCheck.ChunkLength))
                    .Select(i => new CommunityEvent("id-" + random.Next(400_000).ToString(CultureInfo.InvariantCulture), EventType.Message, "g", "m", T.AddSeconds(i)))
                    .ToArray();
                var check = new RunIdCheck(() => events, events.Length, set, new (ulong, ulong)[RunIdCheck.PrintsLength], new bool[events.Length], spinsBeforeBlocking: 0);
                check.Publish(events.Length, complete: true);
                if (run % 2 == 0)
                {
                    Thread.Sleep(1); // the helper starts first, and the caller finds it holding the turn
                }

                for (var chunk = 0; chunk * RunIdCheck.ChunkLength < events.Length; chunk++)
                {
                    var (offset, length) = check.WaitFor(chunk);
                    for (var k = offset; k < offset + length; k++)
                    {
                        Assert.True(!seen.Add(events[k].Id) == check.IsDuplicate(k), $"run {run}, event {k}");
                    }
                }
            }

            Assert.Equal(seen.Count, set.Count);
        });

        await work.WaitAsync(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void FingerprintsComputedAhead_FillOnlyFreeSlots_AndGiveTheSameFlags()
    {
        // No helper: the caller fingerprints as far ahead as the buffer allows (the chunks after the next one, up
        // to PrintChunks - 1 of them), then checks one chunk, which frees one slot, and so on.
        const int Events = (9 * RunIdCheck.ChunkLength) + 5;
        var random = new Random(11);
        var list = Enumerable.Range(0, Events)
            .Select(i => new CommunityEvent("id-" + random.Next(Events / 2).ToString(CultureInfo.InvariantCulture), EventType.Message, "g", "m", T.AddSeconds(i)))
            .ToArray();
        var check = new RunIdCheck(() => list, list.Length, new FingerprintSet(), new (ulong, ulong)[RunIdCheck.PrintsLength], new bool[list.Length], helper: false);
        Assert.False(check.TryFingerprintAhead()); // nothing published yet
        check.Publish(Events, complete: true);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var chunks = (Events + RunIdCheck.ChunkLength - 1) / RunIdCheck.ChunkLength;
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var ahead = 0;
            while (check.TryFingerprintAhead())
            {
                ahead++;
            }

            // Chunks chunk + 1 .. chunk + PrintChunks - 1 (those that exist), of which all but the last were done before.
            var last = Math.Min(chunks - 1, chunk + RunIdCheck.PrintChunks - 1);
            Assert.Equal(chunk == 0 ? last : (last == chunk + RunIdCheck.PrintChunks - 1 ? 1 : 0), ahead);

            var (offset, length) = check.WaitFor(chunk);
            for (var k = 0; k < length; k++)
            {
                Assert.True(!seen.Add(list[offset + k].Id) == check.IsDuplicate(offset + k), $"event {offset + k}");
            }
        }

        Assert.Equal(Events - seen.Count, check.Duplicates);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 5)]
    [InlineData(true, RunIdCheck.ChunkLength)]
    [InlineData(false, (5 * RunIdCheck.ChunkLength) + 3)]
    [InlineData(true, (9 * RunIdCheck.ChunkLength) + 100)]
    public void ARingRefilledAsChunksAreUsed_GivesTheFlagsOfTheWholeRun(bool helper, int events)
    {
        // As the activation engine reads a stream: a ring of three chunks, each published when read, used one
        // chunk behind, then overwritten by the chunk three further on; the last chunk may be partial.
        var random = new Random(events);
        var all = Enumerable.Range(0, events)
            .Select(i => new CommunityEvent("id-" + random.Next(Math.Max(1, events / 2)).ToString(CultureInfo.InvariantCulture), EventType.Message, "g", "m", T.AddSeconds(i)))
            .ToArray();
        var ring = new CommunityEvent[3 * RunIdCheck.ChunkLength];
        var check = new RunIdCheck(() => ring, ring.Length, new FingerprintSet(), new (ulong, ulong)[RunIdCheck.PrintsLength], new bool[ring.Length], helper);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var used = 0;
        void Use(int chunk)
        {
            var (offset, length) = check.WaitFor(chunk);
            Assert.Equal(Math.Min(RunIdCheck.ChunkLength, events - (chunk * RunIdCheck.ChunkLength)), length);
            for (var k = 0; k < length; k++)
            {
                var i = (chunk * RunIdCheck.ChunkLength) + k;
                Assert.Same(all[i], ring[offset + k]);
                Assert.True(!seen.Add(all[i].Id) == check.IsDuplicate(offset + k), $"event {i}");
                used++;
            }
        }

        for (var i = 0; i < events; i++)
        {
            ring[i % ring.Length] = all[i];
            if ((i + 1) % RunIdCheck.ChunkLength == 0)
            {
                check.Publish(i + 1, complete: false);
                for (var a = random.Next(3); a > 0; a--)
                {
                    check.TryFingerprintAhead();
                }

                if ((i + 1) / RunIdCheck.ChunkLength >= 2)
                {
                    Use(((i + 1) / RunIdCheck.ChunkLength) - 2);
                }
            }
        }

        check.Publish(events, complete: true);
        for (var chunk = Math.Max(0, (events / RunIdCheck.ChunkLength) - 1); chunk * RunIdCheck.ChunkLength < events; chunk++)
        {
            Use(chunk);
        }

        Assert.Equal(events, used);
        Assert.Equal(events - seen.Count, check.Duplicates);
    }
}
