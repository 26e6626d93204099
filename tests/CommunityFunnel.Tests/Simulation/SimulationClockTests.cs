using CommunityFunnel.Events;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Tests.Simulation;

public sealed class SimulationClockTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Days_BeginAtLocalMidnight_NotEvery24Hours()
    {
        // 2026-03-08: New York springs forward (23-hour day). 2026-11-01: falls back (25-hour day).
        var spring = new SimulationClock(new DateOnly(2026, 3, 7), 3, NewYork);
        var fall = new SimulationClock(new DateOnly(2026, 10, 31), 3, NewYork);

        Assert.Equal(24 * 3600, spring.DayStartSec(1));
        Assert.Equal((24 + 23) * 3600, spring.DayStartSec(2));
        Assert.Equal((24 + 25) * 3600, fall.DayStartSec(2));
        Assert.Equal(new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.FromHours(-5)).UtcTicks, spring.StartTicks);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(-4)).UtcTicks, spring.EndTicks);
    }

    [Fact]
    public void LocalTimes_SkipTheGap_AndTakeTheFirstOfAnOverlap()
    {
        var spring = new SimulationClock(new DateOnly(2026, 3, 8), 1, NewYork);
        var fall = new SimulationClock(new DateOnly(2026, 11, 1), 1, NewYork);

        // 02:30 does not exist on 2026-03-08: it moves to 03:00 EDT = 07:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 0, 0, TimeSpan.Zero).UtcTicks, Instant(spring, 0, (2 * 3600) + 1800));
        // 09:00 is EDT after the change.
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 13, 0, 0, TimeSpan.Zero).UtcTicks, Instant(spring, 0, 9 * 3600));
        // 01:30 happens twice on 2026-11-01: the first is EDT (05:30 UTC).
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero).UtcTicks, Instant(fall, 0, 5400));
        Assert.Equal(TimeSpan.FromHours(-4), fall.OffsetAt(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero).UtcTicks));
        Assert.Equal(TimeSpan.FromHours(-5), fall.OffsetAt(new DateTimeOffset(2026, 11, 1, 6, 30, 0, TimeSpan.Zero).UtcTicks));
    }

    [Fact]
    public void IntoHours_KeepsWorkingHours_AndMovesNightsToTheNextMorning()
    {
        var clock = new SimulationClock(new DateOnly(2026, 11, 1), 3, Shanghai);

        Assert.Equal(10 * 3600, clock.IntoHours(10 * 3600, 9, 22, 600));
        Assert.Equal((9 * 3600) + 600, clock.IntoHours(3 * 3600, 9, 22, 600));
        Assert.Equal(86_400 + (9 * 3600) + 600, clock.IntoHours((23 * 3600) + 5, 9, 22, 600));
        Assert.Equal(3 * 86_400, clock.IntoHours((2 * 86_400) + (23 * 3600), 9, 22, 600));
    }

    [Fact]
    public void AcrossDaylightSaving_EveryOffsetIsTheZones_AndTheBotPostsAtLocalNine()
    {
        var options = new SimulationOptions { Members = 300, Days = 3, Seed = 4, StartDate = new DateOnly(2026, 3, 7), TimeZoneId = "America/New_York" };
        var events = CommunitySimulator.Generate(options).ToList();

        Assert.All(events, e => Assert.True(
            e.At.Offset == TimeSpan.Zero || e.At.Offset == NewYork.GetUtcOffset(e.At.UtcDateTime),
            $"{e.Id} at {EventLogWriter.FormatInstant(e.At)}"));
        var nineOClock = events
            .Where(e => e.Member == "bot-1" && e.Type == EventType.Message)
            .Select(e => TimeZoneInfo.ConvertTime(e.At, NewYork))
            .Where(t => t.Hour == 9 && t.Minute == 0 && t.Second == 0)
            .Select(t => t.Day)
            .ToList();
        Assert.Equal([7, 8, 9], nineOClock);
    }

    private static long Instant(SimulationClock clock, int day, int secondOfDay) =>
        clock.StartTicks + (clock.LocalToSec(day, secondOfDay) * TimeSpan.TicksPerSecond);
}
