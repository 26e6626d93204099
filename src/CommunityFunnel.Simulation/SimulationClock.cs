namespace CommunityFunnel.Simulation;

/// <summary>
/// The simulated days in a named zone: where each local day begins (from the zone's rules, never by adding 24
/// hours), local time of day to instant, and the offset to write an instant with.
/// Instants are UTC ticks; "sim seconds" are whole seconds since the first day began.
/// </summary>
internal sealed class SimulationClock
{
    private readonly long[] _dayStart;
    private readonly bool[] _regular;
    private readonly TimeSpan[] _offset;

    public SimulationClock(DateOnly startDate, int days, TimeZoneInfo zone)
    {
        Zone = zone;
        StartDate = startDate;
        Days = days;
        _dayStart = new long[days + 1];
        _regular = new bool[days];
        _offset = new TimeSpan[days];
        for (var d = 0; d <= days; d++)
        {
            _dayStart[d] = LocalCalendar.StartOfDay(startDate.AddDays(d), zone).UtcTicks;
        }

        for (var d = 0; d < days; d++)
        {
            var start = new DateTime(_dayStart[d], DateTimeKind.Utc);
            var lastTick = new DateTime(_dayStart[d + 1] - 1, DateTimeKind.Utc);
            _offset[d] = zone.GetUtcOffset(start);
            _regular[d] = _dayStart[d + 1] - _dayStart[d] == TimeSpan.TicksPerDay && zone.GetUtcOffset(lastTick) == _offset[d];
        }
    }

    public TimeZoneInfo Zone { get; }

    public DateOnly StartDate { get; }

    public int Days { get; }

    /// <summary>The instant the simulation begins (local midnight of the first day), UTC ticks.</summary>
    public long StartTicks => _dayStart[0];

    /// <summary>The instant the simulation ends (local midnight after the last day), UTC ticks.</summary>
    public long EndTicks => _dayStart[Days];

    /// <summary>The instant local day <paramref name="day"/> begins, UTC ticks (day <see cref="Days"/> is the end).</summary>
    public long DayStartTicks(int day) => _dayStart[day];

    /// <summary>Sim seconds at which local day <paramref name="day"/> begins.</summary>
    public int DayStartSec(int day) => (int)((_dayStart[day] - _dayStart[0]) / TimeSpan.TicksPerSecond);

    /// <summary>The local calendar date of day <paramref name="day"/>.</summary>
    public DateOnly Date(int day) => StartDate.AddDays(day);

    /// <summary>
    /// Sim seconds of local time <paramref name="secondOfDay"/> on day <paramref name="day"/>. A local time in a
    /// daylight-saving gap moves past the gap; an ambiguous one takes its first occurrence; the result stays in the day.
    /// </summary>
    public int LocalToSec(int day, int secondOfDay)
    {
        if (_regular[day])
        {
            return DayStartSec(day) + secondOfDay;
        }

        var local = Date(day).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified).AddSeconds(secondOfDay);
        while (Zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        var ticks = Math.Clamp(local.Ticks - offset.Ticks, _dayStart[day], _dayStart[day + 1] - TimeSpan.TicksPerSecond);
        return (int)((ticks - _dayStart[0]) / TimeSpan.TicksPerSecond);
    }

    /// <summary>
    /// Moves sim second <paramref name="sec"/> into local working hours [<paramref name="fromHour"/>,
    /// <paramref name="toHour"/>): unchanged when already inside, else to <paramref name="fromHour"/> of the same or
    /// next day plus <paramref name="jitterSec"/>. May return a time past the last day (the caller drops it).
    /// </summary>
    public int IntoHours(int sec, int fromHour, int toHour, int jitterSec)
    {
        var ticks = _dayStart[0] + (sec * TimeSpan.TicksPerSecond);
        var i = Array.BinarySearch(_dayStart, ticks);
        var day = i >= 0 ? i : ~i - 1;
        if (day < 0 || day >= Days)
        {
            return sec;
        }

        var secondOfDay = sec - DayStartSec(day);
        if (secondOfDay >= fromHour * 3600 && secondOfDay < toHour * 3600)
        {
            return sec;
        }

        var target = secondOfDay < fromHour * 3600 ? day : day + 1;
        return target >= Days ? DayStartSec(Days) : LocalToSec(target, (fromHour * 3600) + jitterSec);
    }

    /// <summary>The zone's offset at an instant inside the simulated days.</summary>
    public TimeSpan OffsetAt(long utcTicks)
    {
        var i = Array.BinarySearch(_dayStart, utcTicks);
        var day = i >= 0 ? i : ~i - 1;
        if (day >= 0 && day < Days && _regular[day])
        {
            return _offset[day];
        }

        return Zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc));
    }
}
