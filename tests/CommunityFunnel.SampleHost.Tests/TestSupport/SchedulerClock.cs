using CommunityFunnel.Tests.TestSupport;

namespace CommunityFunnel.SampleHost.Tests.TestSupport;

/// <summary>
/// The fake clock as the host sees it, counting the scheduler's waits: after each tick the scheduler waits for its next
/// one with a timer of (at most) its period, the only timer this long in the host. So "the tick at T has run" is "the
/// count went up after the clock was set to T", with no sleeping and no race with the scheduler's loop.
/// </summary>
internal sealed class SchedulerClock(FakeTimeProvider inner, TimeSpan schedulerPeriod) : TimeProvider
{
    private int _waits;

    /// <summary>How many times the scheduler has parked until its next tick.</summary>
    public int Waits => Volatile.Read(ref _waits);

    public FakeTimeProvider Fake => inner;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override long GetTimestamp() => inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period == Timeout.InfiniteTimeSpan && dueTime >= TimeSpan.FromMinutes(1) && dueTime <= schedulerPeriod)
        {
            Interlocked.Increment(ref _waits);
        }

        return inner.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Sets the clock to <paramref name="at"/> and waits (two minutes at most) until the scheduler's tick at that instant has run.</summary>
    public async Task TickAtAsync(DateTimeOffset at)
    {
        var before = Waits;
        inner.SetUtcNow(at);
        var giveUp = DateTime.UtcNow.AddMinutes(2);
        while (Waits == before)
        {
            Assert.True(DateTime.UtcNow < giveUp, $"the scheduler did not tick at {at:O}");
            await Task.Delay(5);
        }
    }

    /// <summary>Waits until the scheduler has parked at least <paramref name="count"/> times (e.g. 1: its first tick, at start, has run).</summary>
    public async Task WaitsAtLeastAsync(int count)
    {
        var giveUp = DateTime.UtcNow.AddMinutes(2);
        while (Waits < count)
        {
            Assert.True(DateTime.UtcNow < giveUp, "the scheduler did not tick");
            await Task.Delay(5);
        }
    }
}
