using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Activation;

/// <summary><see cref="EventRuns"/>: every event once, in order, in runs; errors from either side reach the caller.</summary>
public sealed class EventRunsTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1_000)]
    public void HandsOverEveryEvent_InOrder_InRunsOfAtMostTheLength(int count)
    {
        var seen = new List<string>();
        var runs = 0;
        EventRuns.ForEach(Events(count), 16, run =>
        {
            Assert.InRange(run.Length, 0, 16);
            runs++;
            foreach (var e in run)
            {
                seen.Add(e.Id);
            }
        });

        Assert.Equal(Events(count).Select(e => e.Id), seen);
        Assert.True(runs >= (count + 15) / 16);
    }

    [Fact]
    public void AnExceptionFromTheSequence_ReachesTheCaller_AsItWas_AfterTheRunsBeforeIt()
    {
        var seen = 0;
        var error = Assert.Throws<EventLogException>(() => EventRuns.ForEach(Failing(40), 16, run => seen += run.Length));
        Assert.Equal(41, error.LineNumber);
        Assert.Equal(32, seen);

        static IEnumerable<CommunityEvent> Failing(int good)
        {
            foreach (var e in Events(good))
            {
                yield return e;
            }

            throw new EventLogException(good + 1, EventLogRule.InvalidJson, "not JSON");
        }
    }

    [Fact]
    public void AnExceptionFromTheConsumer_StopsReading_EvenAnEndlessSequence()
    {
        var read = 0;
        var error = Assert.Throws<InvalidOperationException>(() => EventRuns.ForEach(Endless(), 16, run => throw new InvalidOperationException("consumer")));
        Assert.Equal("consumer", error.Message);
        var after = Volatile.Read(ref read);
        Thread.Sleep(50);
        Assert.Equal(after, Volatile.Read(ref read)); // nothing reads any more
        Assert.InRange(after, 16, 16 * 5);

        IEnumerable<CommunityEvent> Endless()
        {
            for (var i = 0; ; i++)
            {
                Interlocked.Increment(ref read);
                yield return new CommunityEvent("e" + i, EventType.Message, "g", "m", T);
            }
        }
    }

    private static IEnumerable<CommunityEvent> Events(int count) =>
        Enumerable.Range(0, count).Select(i => new CommunityEvent("e" + i, EventType.Message, "g", "m" + (i % 7), T.AddSeconds(i)));
}
