namespace CommunityFunnel;

/// <summary>
/// Calendar arithmetic in a named time zone: the local date of an instant, and the instants where local days,
/// weeks and months begin. Day boundaries come from the zone's rules, never from adding 24 hours.
/// </summary>
internal static class LocalCalendar
{
    /// <summary>The local calendar date of <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The local calendar date of an instant given as UTC ticks.</summary>
    public static DateOnly LocalDate(long utcTicks, TimeZoneInfo zone) =>
        LocalDate(new DateTimeOffset(utcTicks, TimeSpan.Zero), zone);

    /// <summary>
    /// The first instant of <paramref name="date"/> in <paramref name="zone"/>. Where midnight does not exist
    /// (a daylight-saving gap) the day starts at the first local time after the gap.
    /// </summary>
    public static DateTimeOffset StartOfDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // An ambiguous midnight (clocks fall back over it) begins at its earlier occurrence: the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>
    /// The instant of the local <paramref name="date"/> and <paramref name="time"/> in <paramref name="zone"/>. A local
    /// time in a daylight-saving gap moves to the first local time after it; an ambiguous one is its earlier occurrence.
    /// </summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The ISO week (Monday first) that holds <paramref name="date"/>, as the date of its Monday.</summary>
    public static DateOnly WeekStart(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>The first day of the month that holds <paramref name="date"/>.</summary>
    public static DateOnly MonthStart(DateOnly date) => new(date.Year, date.Month, 1);
}
