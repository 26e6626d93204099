namespace CommunityFunnel.Tests.Calendar;

public sealed class LocalCalendarTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void LocalDate_UsesTheZone_NotUtc()
    {
        // 2026-11-01T16:30Z is already 00:30 on 2 November in Shanghai.
        var instant = new DateTimeOffset(2026, 11, 1, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2026, 11, 2), LocalCalendar.LocalDate(instant, Shanghai));
        Assert.Equal(new DateOnly(2026, 11, 1), LocalCalendar.LocalDate(instant, NewYork));
    }

    [Fact]
    public void StartOfDay_OnADaylightSavingDay_IsNotMidnightPlus24Hours()
    {
        // New York falls back on 2026-11-01: that day is 25 hours long.
        var start = LocalCalendar.StartOfDay(new DateOnly(2026, 11, 1), NewYork);
        var next = LocalCalendar.StartOfDay(new DateOnly(2026, 11, 2), NewYork);

        Assert.Equal(TimeSpan.FromHours(-4), start.Offset);
        Assert.Equal(TimeSpan.FromHours(25), next - start);
    }

    [Fact]
    public void WeekStart_IsMonday_AndMonthStart_IsTheFirst()
    {
        Assert.Equal(new DateOnly(2026, 11, 16), LocalCalendar.WeekStart(new DateOnly(2026, 11, 22)));
        Assert.Equal(new DateOnly(2026, 11, 16), LocalCalendar.WeekStart(new DateOnly(2026, 11, 16)));
        Assert.Equal(new DateOnly(2026, 11, 1), LocalCalendar.MonthStart(new DateOnly(2026, 11, 30)));
    }
}
