using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Tests.Activation;

/// <summary>
/// A list, an array and any other sequence (buffered in runs) of many chunks' worth of events all have their ids
/// checked by <see cref="RunIdCheck"/>, a chunk ahead on a second thread; one <c>Add</c> an event checks them one by
/// one. All must agree.
/// </summary>
public sealed class ActivationLargeListTests
{
    [Fact]
    public void LargeList_AgreesWithChunkedPathAndStreaming_WithIdsReusedWithOtherContent()
    {
        var random = new Random(42);
        var window = TimeSpan.FromHours(24);
        var events = new List<CommunityEvent>();
        var asOf = RandomLogs.Start.AddDays(4);
        var logs = 0;
        while (events.Count < (8 * RunIdCheck.ChunkLength) + 5_000)
        {
            // Every log numbers its ids from e000: logs left unprefixed reuse ids of earlier ones with other
            // content (another group, member, type or instant), which must still count once.
            var (log, _) = RandomLogs.Generate(random, window);
            // Members are spread over a few thousand logs' worth of names so that pairs meet across logs too.
            var prefix = random.Next(3) == 0 ? string.Empty : "L" + logs + "-";
            var people = "/" + random.Next(3_000);
            events.AddRange(log.Select(e => Rename(e, prefix + e.Id, e.Member + people)));
            logs++;
        }

        foreach (var rejoin in new[] { RejoinPolicy.First, RejoinPolicy.Every })
        {
            foreach (var by in Enum.GetValues<ActivationBreakdownBy>())
            {
                var query = new ActivationQuery(asOf) { Window = window, Rejoin = rejoin, BreakdownBy = by };
                var chunked = ActivationCalculator.Calculate(events.Select(e => e), query);
                var list = ActivationCalculator.Calculate(events, query);
                var array = ActivationCalculator.Calculate(events.ToArray(), query);
                ActivationPropertyTests.AssertSame(chunked, list, (int)by);
                ActivationPropertyTests.AssertSame(chunked, array, (int)by);
                Assert.True(chunked.Duplicates > 10_000 && chunked.Eligible > 1_000, $"{chunked.Duplicates} duplicates, {chunked.Eligible} eligible");
            }

            var streaming = new StreamingActivationCalculator(window, rejoin);
            foreach (var e in events)
            {
                streaming.Add(e);
            }

            var q = new ActivationQuery(asOf) { Window = window, Rejoin = rejoin, BreakdownBy = ActivationBreakdownBy.Group };
            ActivationPropertyTests.AssertSame(streaming.GetReport(q), ActivationCalculator.Calculate(events, q), 0);
        }

        var funnelQuery = new FunnelQuery(asOf) { By = ActivationBreakdownBy.Group };
        var funnelList = FunnelCalculator.Calculate(events, funnelQuery);
        var funnelChunked = FunnelCalculator.Calculate(events.Select(e => e), funnelQuery);
        Assert.Equal(funnelChunked.Duplicates, funnelList.Duplicates);
        Assert.Equal(funnelChunked.Total, funnelList.Total);
        Assert.Equal(funnelChunked.Rows, funnelList.Rows);
        Assert.Equal(funnelChunked.Days, funnelList.Days);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5_000)]
    [InlineData(40_000)]
    [InlineData(4_000_000)]
    public void AnEstimatedCount_OnlySizesTables_TheReportIsTheSame(int estimate)
    {
        // Tables sized from a wrong estimate (none, far too small, too large) grow or stay part empty, nothing else.
        var events = ManyLogs(new Random(5), 40_000, people: 1_000);
        foreach (var by in Enum.GetValues<ActivationBreakdownBy>())
        {
            var query = new ActivationQuery(RandomLogs.Start.AddDays(4)) { BreakdownBy = by };
            var plain = ActivationCalculator.Calculate(events.Select(e => e), query);
            ActivationPropertyTests.AssertSame(plain, ActivationCalculator.Calculate(new EstimatedEvents(events.Select(e => e), estimate), query), (int)by);
        }

        var funnelQuery = new FunnelQuery(RandomLogs.Start.AddDays(4)) { By = ActivationBreakdownBy.Group };
        var funnel = FunnelCalculator.Calculate(events.Select(e => e), funnelQuery);
        var estimated = FunnelCalculator.Calculate(new EstimatedEvents(events.Select(e => e), estimate), funnelQuery);
        Assert.Equal(funnel.Total, estimated.Total);
        Assert.Equal(funnel.Rows, estimated.Rows);
        Assert.Equal(funnel.Days, estimated.Days);
    }

    [Fact]
    public void Streaming_OnALargeLog_AnswersBetweenEvents_AsTheBatchOnThePrefix()
    {
        // Enough distinct ids for the id set to grow several times, queried between its growths.
        var events = ManyLogs(new Random(3), 30_000, people: 500);

        var query = new ActivationQuery(RandomLogs.Start.AddDays(4)) { BreakdownBy = ActivationBreakdownBy.Channel };
        var streaming = new StreamingActivationCalculator();
        var added = 0;
        for (var i = 0; i < events.Count; i++)
        {
            added += streaming.Add(events[i]) ? 1 : 0;
            if (i % 4_099 == 4_000 || i == events.Count - 1)
            {
                var expected = ActivationCalculator.Calculate(events.Take(i + 1), query);
                ActivationPropertyTests.AssertSame(expected, streaming.GetReport(query), i);
                Assert.Equal(added, streaming.Events);
                Assert.Equal(i + 1 - added, streaming.Duplicates);
            }
        }

        Assert.True(streaming.Joins > 2_000, $"{streaming.Joins} joins");
    }

    [Fact]
    public void StreamingAddRange_InBatchesOfAnySize_AnswersAsAddingEachEvent()
    {
        var random = new Random(11);
        var events = ManyLogs(random, 90_000, people: 2_000);

        var query = new ActivationQuery(RandomLogs.Start.AddDays(4)) { BreakdownBy = ActivationBreakdownBy.Group };
        var one = new StreamingActivationCalculator();
        var ranges = new StreamingActivationCalculator();
        var span = events.ToArray().AsSpan();
        var batches = 0;
        for (var start = 0; start < span.Length; batches++)
        {
            // Small batches (checked id by id) and large ones (checked as a run), a run longer than the engine's.
            var length = Math.Min(span.Length - start, batches % 3 == 2 ? random.Next(2_000, 70_000) : random.Next(0, 1_500));
            var added = 0;
            foreach (var e in span.Slice(start, length))
            {
                added += one.Add(e) ? 1 : 0;
            }

            Assert.Equal(added, ranges.AddRange(span.Slice(start, length)));
            start += length;
            ActivationPropertyTests.AssertSame(one.GetReport(query), ranges.GetReport(query), start);
            Assert.Equal((one.Events, one.Duplicates, one.Joins), (ranges.Events, ranges.Duplicates, ranges.Joins));
        }

        Assert.True(one.Duplicates > 5_000, $"{one.Duplicates} duplicates");
        Assert.Throws<ArgumentException>(() => ranges.AddRange(new CommunityEvent[] { events[0], null! }));
        Assert.Equal(one.Events, ranges.Events);
    }

    /// <summary>
    /// Events posted one by one (held and added a batch at a time), mixed with <c>Add</c> and <c>AddRange</c>: every
    /// look at the state (a report, the counts) and every <c>Add</c> sees them in order, as if each had been added.
    /// The first look comes after more than one batch has been posted, so a full batch is added on its own.
    /// </summary>
    [Fact]
    public void StreamingPost_AnswersAsAddingEachEvent_WheneverLookedAt()
    {
        var random = new Random(12);
        var events = ManyLogs(random, StreamingActivationCalculator.PostBatchLength + 40_000, people: 2_000);
        var query = new ActivationQuery(RandomLogs.Start.AddDays(4)) { BreakdownBy = ActivationBreakdownBy.Channel };
        var one = new StreamingActivationCalculator();
        var posted = new StreamingActivationCalculator();
        var firstLook = StreamingActivationCalculator.PostBatchLength + 3;
        for (var i = 0; i < events.Count;)
        {
            if (i < firstLook || random.Next(4) != 0)
            {
                one.Add(events[i]);
                posted.Post(events[i++]);
                continue;
            }

            switch (random.Next(3))
            {
                case 0:
                    // The event before was probably just posted: Add must see it (and call this one a duplicate).
                    Assert.False(one.Add(events[i - 1]));
                    Assert.False(posted.Add(events[i - 1]));
                    Assert.Equal(one.Add(events[i]), posted.Add(events[i]));
                    i++;
                    break;
                case 1:
                    var batch = events.Skip(i).Take(random.Next(1, 3_000)).ToArray();
                    Assert.Equal(batch.Count(one.Add), posted.AddRange(batch));
                    i += batch.Length;
                    break;
                default:
                    Assert.Equal((one.Events, one.Duplicates, one.Joins), (posted.Events, posted.Duplicates, posted.Joins));
                    ActivationPropertyTests.AssertSame(one.GetReport(query), posted.GetReport(query), i);
                    break;
            }
        }

        ActivationPropertyTests.AssertSame(one.GetReport(query), posted.GetReport(query), events.Count);
        Assert.True(one.Duplicates > 5_000, $"{one.Duplicates} duplicates");

        posted.Post(events[0]);
        Assert.Equal(0, posted.Flush());
        Assert.Equal(0, posted.Flush());
        Assert.Equal(one.Duplicates + 1, posted.Duplicates);
        Assert.Throws<ArgumentNullException>(() => posted.Post(null!));
    }

    /// <summary>
    /// Enough distinct ids (1.2M) for the streaming calculator's id table to pass one 16 MB segment and grow in place
    /// on the checking thread, with repeated ids throughout (some from long before, whose slots have moved): the
    /// events taken and the duplicates are those a plain set of strings finds, and the report is the batch report
    /// (whose id table is sized for the whole list up front, so it never grows).
    /// </summary>
    [Fact]
    public void StreamingAddRange_AcrossInPlaceGrowthOfTheIdTable_FindsEveryRepeatedId()
    {
        var random = new Random(21);
        var events = new List<CommunityEvent>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (seen.Count < 1_200_000)
        {
            // One id in eight repeats an earlier one (anywhere before), with other content.
            var n = events.Count;
            var id = n > 0 && random.Next(8) == 0 ? "e" + random.Next(n) : "e" + n;
            var type = random.Next(3) == 0 ? EventType.Joined : EventType.Message;
            var e = new CommunityEvent(id, type, "g" + random.Next(3), "m" + random.Next(200_000), RandomLogs.Start.AddMinutes(random.Next(60 * 24 * 6)), channel: "c" + random.Next(4));
            events.Add(e);
            seen.Add(id);
        }

        var streaming = new StreamingActivationCalculator();
        var span = events.ToArray().AsSpan();
        var taken = 0;
        for (var start = 0; start < span.Length; start += 1 << 16)
        {
            taken += streaming.AddRange(span.Slice(start, Math.Min(1 << 16, span.Length - start)));
        }

        Assert.Equal(seen.Count, taken);
        Assert.Equal((long)seen.Count, streaming.Events);
        Assert.Equal(events.Count - seen.Count, streaming.Duplicates);
        var query = new ActivationQuery(RandomLogs.Start.AddDays(5)) { BreakdownBy = ActivationBreakdownBy.Channel };
        ActivationPropertyTests.AssertSame(ActivationCalculator.Calculate(events, query), streaming.GetReport(query), 0);
    }

    /// <summary>Random logs one after another until there are <paramref name="count"/> events; a quarter of them keep ids that earlier logs used.</summary>
    private static List<CommunityEvent> ManyLogs(Random random, int count, int people)
    {
        var events = new List<CommunityEvent>();
        for (var logs = 0; events.Count < count; logs++)
        {
            var (log, _) = RandomLogs.Generate(random, TimeSpan.FromHours(24));
            var prefix = random.Next(4) == 0 ? string.Empty : "L" + logs + "-";
            var person = "/" + random.Next(people);
            events.AddRange(log.Select(e => Rename(e, prefix + e.Id, e.Member + person)));
        }

        return events;
    }

    private static CommunityEvent Rename(CommunityEvent e, string id, string member) =>
        new(id, e.Type, e.Group, member, e.At, e.Channel, e.Role, e.By, e.Task, e.Amount, e.Currency, e.Nickname);
}

/// <summary>The library never runs host code on a thread it started: a host's sequence is enumerated on the caller's thread.</summary>
public sealed class ActivationHostThreadTests
{
    [Fact]
    public void ALargeSequenceOfTheHosts_IsEnumeratedOnlyOnTheCallersThread()
    {
        var threads = new HashSet<int>();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        IEnumerable<CommunityFunnel.Events.CommunityEvent> HostSequence()
        {
            for (var i = 0; i < 200_000; i++)
            {
                lock (threads)
                {
                    threads.Add(Environment.CurrentManagedThreadId);
                }

                var member = $"m{i / 2}";
                yield return i % 2 == 0
                    ? new CommunityFunnel.Events.CommunityEvent($"j{i}", CommunityFunnel.Events.EventType.Joined, "g", member, start.AddSeconds(i))
                    : new CommunityFunnel.Events.CommunityEvent($"a{i}", CommunityFunnel.Events.EventType.Message, "g", member, start.AddSeconds(i));
            }
        }

        var report = CommunityFunnel.Activation.ActivationCalculator.Calculate(HostSequence(), new CommunityFunnel.Activation.ActivationQuery(start.AddDays(30)));

        Assert.Equal((100_000L, 100_000L), (report.Eligible, report.Activated));
        Assert.Equal([Environment.CurrentManagedThreadId], threads);
    }
}
