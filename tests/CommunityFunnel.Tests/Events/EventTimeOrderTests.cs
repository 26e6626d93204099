using System.Globalization;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Events;

/// <summary>
/// The bounded-memory orderer against the plain reference (a <see cref="List{T}.Sort(Comparison{T})"/> by instant, id
/// ordinal and arrival) on random logs of every shape, with buffers small enough to take the spill and merge paths;
/// and its temporary files, statistics and options.
/// </summary>
public sealed class EventTimeOrderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private readonly string _temp = Directory.CreateTempSubdirectory("cf-order-tests-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    public enum Shape
    {
        Empty,
        One,
        NearlyOrdered,
        Shuffled,
        AllEqualInstants,
        DuplicateInstantsDifferentIds,
        TiesOnInstantAndId,
        Descending,
    }

    /// <summary>A log of <paramref name="shape"/>; each event's nickname records its arrival number, to see ties' order.</summary>
    private static List<CommunityEvent> Log(Shape shape, int seed, int count)
    {
        var random = new Random(seed);
        count = shape switch { Shape.Empty => 0, Shape.One => 1, _ => count };
        var events = new List<CommunityEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var minutes = shape switch
            {
                Shape.NearlyOrdered => random.Next(100) == 0 ? Math.Max(0, i - random.Next(1, 500)) : i, // ~1% late, up to 500 back
                Shape.AllEqualInstants => 0,
                Shape.DuplicateInstantsDifferentIds => random.Next(count / 8 + 1),
                Shape.TiesOnInstantAndId => random.Next(4),
                Shape.Descending => count - i,
                _ => random.Next(count * 4),
            };
            var id = shape switch
            {
                Shape.TiesOnInstantAndId => "e" + random.Next(3).ToString(CultureInfo.InvariantCulture),
                Shape.AllEqualInstants => "e" + random.Next(1_000_000).ToString("D7", CultureInfo.InvariantCulture),
                _ => "e" + i.ToString(CultureInfo.InvariantCulture),
            };
            events.Add(new CommunityEvent(id, EventType.NicknameChanged, "g" + random.Next(3).ToString(CultureInfo.InvariantCulture), "m" + random.Next(50).ToString(CultureInfo.InvariantCulture),
                Start.AddMinutes(minutes).AddTicks(random.Next(2) * 7), nickname: "#" + i.ToString(CultureInfo.InvariantCulture)));
        }

        if (shape == Shape.Shuffled)
        {
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(events));
        }

        return events;
    }

    /// <summary>The reference: every event with its arrival number, sorted by List.Sort on (instant, id ordinal, arrival).</summary>
    private static List<string> Reference(List<CommunityEvent> log)
    {
        var numbered = log.Select((e, i) => (Event: e, Arrival: i)).ToList();
        numbered.Sort(static (a, b) =>
        {
            var c = a.Event.AtUtcTicks.CompareTo(b.Event.AtUtcTicks);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.Event.Id, b.Event.Id);
            }

            return c != 0 ? c : a.Arrival.CompareTo(b.Arrival);
        });
        return numbered.Select(p => Describe(p.Event)).ToList();
    }

    /// <summary>Every field of an event, the offset of its instant included (record equality compares instants only).</summary>
    private static string Describe(CommunityEvent e) =>
        string.Join('|', e.Id, e.Type, e.Group, e.Member, e.At.ToString("O", CultureInfo.InvariantCulture), e.Channel, e.Role, e.By, e.Task,
            e.Amount, e.Currency, e.Nickname, e.Attribution, e.Scene, e.CouponCode);

    private (List<string> Output, EventOrderStatistics Statistics) Order(IEnumerable<CommunityEvent> log, int budget, int fanIn = 64)
    {
        var order = new EventTimeOrder(new EventOrderOptions { MaxBufferedEvents = budget, TempDirectory = _temp }) { MaxFanIn = fanIn };
        var output = order.Order(log).Select(Describe).ToList();
        return (output, order.Statistics);
    }

    /// <summary>Every shape of log, for the theories.</summary>
    public static TheoryData<Shape> Shapes => [.. Enum.GetValues<Shape>()];

    private void AssertTempEmpty() => Assert.Empty(Directory.EnumerateFileSystemEntries(_temp));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Output_IsExactlyTheStableSort_ForEveryBudgetAndFanIn(Shape shape)
    {
        for (var seed = 1; seed <= 8; seed++)
        {
            var log = Log(shape, seed, 150 + (seed * 37));
            var expected = Reference(log);
            foreach (var budget in new[] { 1, 3, 17, 1_000_000 })
            {
                foreach (var fanIn in new[] { 2, 64 })
                {
                    var (actual, stats) = Order(log, budget, fanIn);
                    Assert.Equal(expected, actual);
                    Assert.Equal(log.Count, stats.Events);
                    Assert.Equal(log.Count > budget, stats.SpilledRuns > 0); // nothing touches the disk when the log fits
                    Assert.True(stats.MaxBuffered <= budget);
                    AssertTempEmpty();
                }
            }
        }
    }

    [Fact]
    public void NearlyOrderedLog_WithinTheBuffer_MakesOneRunAndNoLateEvents_BeyondItLateEventsAreCounted()
    {
        var log = Log(Shape.NearlyOrdered, seed: 5, count: 5_000); // lines at most 500 back
        var (output, within) = Order(log, budget: 600);
        Assert.Equal(Reference(log), output);
        Assert.Equal(0, within.LateEvents);
        Assert.Equal(1, within.SpilledRuns);
        Assert.Equal(5_000 - 600, within.SpilledEvents); // the last 600 are merged from memory
        Assert.Equal(600, within.MaxBuffered);
        Assert.True(within.SpilledBytes > within.SpilledEvents * 20);

        var (again, beyond) = Order(log, budget: 10);
        Assert.Equal(output, again);
        Assert.True(beyond.LateEvents > 0);
        Assert.True(beyond.SpilledRuns > 1);
    }

    [Fact]
    public void LateEvent_IsCountedAndStillPlacedFirst()
    {
        // Budget 2: 1 and 2 are moved out to the run while 3 and 4 arrive; 0 then comes later than the buffer holds.
        var log = new[] { 1, 2, 3, 4, 0 }.Select(m => new CommunityEvent("e" + m.ToString(CultureInfo.InvariantCulture), EventType.Message, "g", "m", Start.AddMinutes(m))).ToList();
        var (output, stats) = Order(log, budget: 2);

        Assert.Equal(["e0", "e1", "e2", "e3", "e4"], output.Select(d => d.Split('|')[0]));
        Assert.Equal(new EventOrderStatistics { Events = 5, MaxBuffered = 2, LateEvents = 1, SpilledRuns = 1, SpilledEvents = 3, SpilledBytes = stats.SpilledBytes, Passes = 1 }, stats);
    }

    [Fact]
    public void EveryField_SurvivesTheRunFile_ExactlyAsItWas()
    {
        var log = new List<CommunityEvent>
        {
            new("a\ud800b", EventType.Joined, "群一", "m\udfff", new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.FromMinutes(345)),
                channel: "海报 poster", role: MemberRole.Staff, by: "inviter", scene: "wecom:join_scene=3", attribution: ChannelAttribution.Inferred),
            new CommunityEvent("b", EventType.Order, "g", "m", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(-9.5)), amount: CommunityEvent.MaxAmount, currency: "CNY") { CouponCode = "CODE-1" },
            new("c", EventType.TaskApproved, "g", "m", CommunityEvent.MinAt, task: "share", by: "admin"),
            new("d", EventType.NicknameChanged, "g", "m", CommunityEvent.MaxAt.ToOffset(TimeSpan.FromHours(-14)), nickname: ""),
            new("e", EventType.InviteViewed, "g", new string('v', 70_000), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(14)), channel: "link", attribution: ChannelAttribution.Unknown),
            new("f", EventType.Order, "g", "m", Start, amount: 0),
        };
        var (output, stats) = Order(log, budget: 1);

        Assert.Equal(Reference(log), output);
        Assert.Equal(log.Count - 1, stats.SpilledEvents);
        var back = new EventTimeOrder(new EventOrderOptions { MaxBufferedEvents = 1, TempDirectory = _temp }).Order(log).ToList();
        Assert.Equal(log.OrderBy(e => e.AtUtcTicks).ThenBy(e => e.Id, StringComparer.Ordinal), back); // record equality on every field
        AssertTempEmpty();
    }

    [Fact]
    public void TempFolder_IsEmpty_AfterACompleteRun_AnEarlyBreak_AndExceptions()
    {
        var log = Log(Shape.Shuffled, seed: 3, count: 2_000);
        var options = new EventOrderOptions { MaxBufferedEvents = 50, TempDirectory = _temp };

        // Early break: the runs exist while the merge is read, and are gone once the enumerator is disposed.
        var order = new EventTimeOrder(options) { MaxFanIn = 4 };
        var seen = 0;
        foreach (var e in order.Order(log))
        {
            Assert.NotEmpty(Directory.EnumerateFiles(_temp, "cf-order-*.run"));
            if (++seen == 10)
            {
                break;
            }
        }

        Assert.True(order.Statistics.SpilledRuns > 4);
        AssertTempEmpty();

        // The source throws after runs were spilled.
        var failing = new EventTimeOrder(options);
        var error = Assert.Throws<InvalidOperationException>(() => failing.Order(Throwing(log, after: 1_500)).ToList());
        Assert.Equal("source failed", error.Message);
        Assert.True(failing.Statistics.SpilledRuns > 0);
        AssertTempEmpty();

        // The consumer throws in the middle of the merge.
        var consumer = new EventTimeOrder(options);
        Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var e in consumer.Order(log))
            {
                if (e.Id == "e7")
                {
                    throw new InvalidDataException("consumer failed");
                }
            }
        });
        AssertTempEmpty();

        // A null event in the source, after runs were spilled.
        var withNull = log.Take(500).Append(null!).Concat(log.Skip(500));
        Assert.Throws<ArgumentNullException>(() => new EventTimeOrder(options).Order(withNull).ToList());
        AssertTempEmpty();

        // Completed.
        Assert.Equal(Reference(log), new EventTimeOrder(options).Order(log).Select(Describe).ToList());
        AssertTempEmpty();
    }

    private static IEnumerable<CommunityEvent> Throwing(List<CommunityEvent> log, int after)
    {
        foreach (var e in log.Take(after))
        {
            yield return e;
        }

        throw new InvalidOperationException("source failed");
    }

    [Fact]
    public void Budget_ComesFromMemoryMegabytes_UnlessMaxBufferedEventsIsSet()
    {
        Assert.Equal(256 * 4096, new EventOrderOptions().BufferedEvents);
        Assert.Equal(4096, new EventOrderOptions { MemoryMegabytes = 1 }.BufferedEvents);
        Assert.Equal(EventOrderOptions.MaxBufferedEventsLimit, new EventOrderOptions { MemoryMegabytes = EventOrderOptions.MaxMemoryMegabytes }.BufferedEvents);
        Assert.Equal(7, new EventOrderOptions { MemoryMegabytes = 1, MaxBufferedEvents = 7 }.BufferedEvents);
        Assert.Equal(Path.GetTempPath(), new EventOrderOptions().Directory);
    }

    [Theory]
    [InlineData(0, null, null, "MemoryMegabytes")]
    [InlineData(-1, null, null, "MemoryMegabytes")]
    [InlineData(EventOrderOptions.MaxMemoryMegabytes + 1, null, null, "MemoryMegabytes")]
    [InlineData(256, 0, null, "MaxBufferedEvents")]
    [InlineData(256, -5, null, "MaxBufferedEvents")]
    [InlineData(256, EventOrderOptions.MaxBufferedEventsLimit + 1, null, "MaxBufferedEvents")]
    [InlineData(256, null, "", "TempDirectory")]
    [InlineData(256, null, "   ", "TempDirectory")]
    [InlineData(256, null, "/no/such/folder/cf-order", "TempDirectory")]
    public void InvalidOptions_AreRejected_NamingTheOption(int megabytes, int? buffered, string? temp, string option)
    {
        var options = new EventOrderOptions { MemoryMegabytes = megabytes, MaxBufferedEvents = buffered, TempDirectory = temp };
        var error = Assert.ThrowsAny<ArgumentException>(() => new EventTimeOrder(options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains("EventOrderOptions." + option, error.Message, StringComparison.Ordinal);
        if (temp is null)
        {
            Assert.IsType<ArgumentOutOfRangeException>(error);
        }
    }

    [Fact]
    public void EdgeOptions_AreAccepted()
    {
        _ = new EventTimeOrder(new EventOrderOptions { MemoryMegabytes = EventOrderOptions.MinMemoryMegabytes });
        _ = new EventTimeOrder(new EventOrderOptions { MemoryMegabytes = EventOrderOptions.MaxMemoryMegabytes, MaxBufferedEvents = EventOrderOptions.MaxBufferedEventsLimit });
        _ = new EventTimeOrder(new EventOrderOptions { MaxBufferedEvents = 1, TempDirectory = _temp });
        _ = new EventTimeOrder(null);
    }

    [Fact]
    public void NullSource_IsRejectedAtTheCall()
    {
        Assert.Throws<ArgumentNullException>(() => new EventTimeOrder().Order(null!));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OrderWithinWindow_IsTheSortedLog_OrAPrefixOfIt_ThatSaysItStoppedEarly(Shape shape)
    {
        for (var seed = 1; seed <= 12; seed++)
        {
            var log = Log(shape, seed, 1_500);
            var reference = Reference(log);
            foreach (var budget in new[] { 1, 7, 600, 2_000 })
            {
                var order = new EventTimeOrder(new EventOrderOptions { MaxBufferedEvents = budget, TempDirectory = _temp });
                var output = order.OrderWithinWindow(log).Select(Describe).ToList();

                // Either all of it in order, or (told to discard it) the smallest of the events read before the late
                // one, in order: nothing is ever handed on out of order.
                var read = (int)order.Statistics.Events;
                Assert.Equal(order.WindowExceeded ? Reference(log.Take(read).ToList()).Take(output.Count) : reference, output);
                Assert.True(order.WindowExceeded ? read < log.Count : read == log.Count);
                Assert.Equal(order.WindowExceeded ? 1 : 0, order.Statistics.LateEvents);
                Assert.Equal(0, order.Statistics.SpilledRuns);
                Assert.True(order.Statistics.MaxBuffered <= budget);

                // The late event is one earlier than the last handed on: the buffer could not have held it.
                if (budget >= log.Count || shape is Shape.Empty or Shape.One)
                {
                    Assert.False(order.WindowExceeded);
                }

                if (shape == Shape.NearlyOrdered && budget >= 600)
                {
                    Assert.False(order.WindowExceeded); // ~1% of lines up to 500 places late: within 600
                }

                if (shape is Shape.Shuffled or Shape.Descending && budget < 600)
                {
                    Assert.True(order.WindowExceeded);
                }

                // The same orderer then orders the log in full, counting that as its second pass.
                Assert.Equal(reference, order.Order(log).Select(Describe).ToList());
                Assert.Equal(2, order.Statistics.Passes);
                Assert.False(order.WindowExceeded);
                AssertTempEmpty();
            }
        }
    }

    [Fact]
    public void OrderWithinWindow_HandsEventsOnBeforeTheSourceEnds()
    {
        var log = Log(Shape.NearlyOrdered, 5, 5_000);
        var order = new EventTimeOrder(new EventOrderOptions { MaxBufferedEvents = 600 });
        var read = 0;
        IEnumerable<CommunityEvent> Counting()
        {
            foreach (var e in log)
            {
                read++;
                yield return e;
            }
        }

        using var output = order.OrderWithinWindow(Counting()).GetEnumerator();
        Assert.True(output.MoveNext());
        Assert.Equal(601, read); // the first event leaves once the buffer is over its budget, not at the end
    }

    [Fact]
    public void OrderWithinWindow_GrowsItsWindow_AsLateEventsComeLater_UpToTheBudget()
    {
        // Lateness grows slowly from nothing to 150 places: a window of 8 would be overrun, the budget of 2,000 is not.
        var random = new Random(3);
        var log = new List<CommunityEvent>();
        for (var i = 0; i < 6_000; i++)
        {
            var back = random.Next(20) == 0 ? random.Next(1, 2 + (i / 40)) : 0;
            log.Add(new CommunityEvent($"e{i}", EventType.Message, "g", "m", Start.AddSeconds(Math.Max(0, i - back))));
        }

        var reference = Reference(log);
        var fixedSmall = new EventTimeOrder(new EventOrderOptions { MaxBufferedEvents = 8 });
        fixedSmall.OrderWithinWindow(log).ToList();
        Assert.True(fixedSmall.WindowExceeded); // the premise: 8 events are not enough

        var growing = new EventTimeOrder(new EventOrderOptions { MaxBufferedEvents = 2_000 }) { InitialWindow = 8 };
        Assert.Equal(reference, growing.OrderWithinWindow(log).Select(Describe).ToList());
        Assert.False(growing.WindowExceeded);
        Assert.InRange(growing.Statistics.MaxBuffered, 150, 2_000); // grew past what the lateness needs, not past the budget
    }
}
