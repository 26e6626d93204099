using System.Globalization;

namespace CommunityFunnel.Activation;

/// <summary>
/// The local calendar days of a time zone between two instants, as the UTC instants where each day starts;
/// maps an instant to its day by binary search. Day boundaries come from the zone's rules, never from adding 24 hours.
/// </summary>
internal sealed class DayBuckets
{
    private readonly long[] _starts;
    private readonly DateOnly _first;

    public DayBuckets(long minUtcTicks, long maxUtcTicks, TimeZoneInfo zone)
    {
        _first = LocalCalendar.LocalDate(minUtcTicks, zone);
        var last = LocalCalendar.LocalDate(maxUtcTicks, zone);
        var days = last.DayNumber - _first.DayNumber + 1;
        _starts = new long[days + 1];
        for (var i = 0; i <= days; i++)
        {
            _starts[i] = LocalCalendar.StartOfDay(_first.AddDays(i), zone).UtcTicks;
        }
    }

    public int Count => _starts.Length - 1;

    /// <summary>The index of the day holding <paramref name="utcTicks"/>, which must lie within the range given.</summary>
    public int IndexOf(long utcTicks)
    {
        var i = Array.BinarySearch(_starts, utcTicks);
        return i >= 0 ? i : ~i - 1;
    }

    public DateOnly Date(int index) => _first.AddDays(index);

    public string Key(int index) => Date(index).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
