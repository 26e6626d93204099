using System.Globalization;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The placeholders of a draw id: <c>{date}</c> (<c>yyyy-MM-dd</c>), <c>{week}</c> (the local date of the ISO
/// week's Monday) and <c>{month}</c> (<c>yyyy-MM</c>). The reward rules fill them from a grant's local date
/// (<see cref="Resolve"/>); a draw template reads them back from an instance's id (<see cref="TryMatch"/>). One
/// place, so a rule's ticket and a template's instance always agree on the name.
/// </summary>
internal static class DrawIdPlaceholders
{
    public const string Date = "{date}";
    public const string Week = "{week}";
    public const string Month = "{month}";

    /// <summary>Fills <c>{date}</c>, <c>{week}</c> and <c>{month}</c> in a draw id from a local date.</summary>
    public static string Resolve(string draw, DateOnly day) =>
        draw.Replace(Date, FormatIso(day), StringComparison.Ordinal)
            .Replace(Week, FormatIso(LocalCalendar.WeekStart(day)), StringComparison.Ordinal)
            .Replace(Month, day.ToString("yyyy-MM", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>
    /// The period a pattern names: the period of its one placeholder, or <see langword="null"/> when it holds none
    /// or more than one (a template's pattern holds exactly one).
    /// </summary>
    public static RewardPeriod? PeriodOf(string pattern)
    {
        RewardPeriod? found = null;
        var count = 0;
        foreach (var (placeholder, period) in All)
        {
            var at = pattern.IndexOf(placeholder, StringComparison.Ordinal);
            while (at >= 0)
            {
                count++;
                found = period;
                at = pattern.IndexOf(placeholder, at + placeholder.Length, StringComparison.Ordinal);
            }
        }

        return count == 1 ? found : null;
    }

    /// <summary>
    /// Whether <paramref name="drawId"/> is an instance of <paramref name="pattern"/> (one placeholder), and the
    /// first local day of its period: the date, the week's Monday, or the month's first day. An id matches only when
    /// resolving the pattern at that day gives the id back (so <c>weekly-2026-12-01</c>, a Tuesday, is no week).
    /// </summary>
    public static bool TryMatch(string pattern, string drawId, out DateOnly periodStart)
    {
        periodStart = default;
        if (PeriodOf(pattern) is not { } period)
        {
            return false;
        }

        var placeholder = period switch { RewardPeriod.Day => Date, RewardPeriod.Week => Week, _ => Month };
        var at = pattern.IndexOf(placeholder, StringComparison.Ordinal);
        var prefix = pattern[..at];
        var suffix = pattern[(at + placeholder.Length)..];
        var length = period == RewardPeriod.Month ? 7 : 10;
        if (drawId.Length != prefix.Length + length + suffix.Length
            || !drawId.StartsWith(prefix, StringComparison.Ordinal)
            || !drawId.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var text = drawId.Substring(prefix.Length, length);
        var format = period == RewardPeriod.Month ? "yyyy-MM" : "yyyy-MM-dd";
        if (!DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }

        if (!string.Equals(Resolve(pattern, day), drawId, StringComparison.Ordinal))
        {
            return false;
        }

        periodStart = period == RewardPeriod.Week ? LocalCalendar.WeekStart(day) : day;
        return period != RewardPeriod.Week || periodStart == day;
    }

    /// <summary>
    /// Whether every id a rule's draw (placeholders allowed) resolves to is an instance of <paramref name="pattern"/>:
    /// checked on a week of days in two months, which covers every placeholder's shape.
    /// </summary>
    public static bool Covers(string pattern, string ruleDraw)
    {
        for (var day = new DateOnly(2026, 1, 26); day < new DateOnly(2026, 2, 9); day = day.AddDays(1))
        {
            if (!TryMatch(pattern, Resolve(ruleDraw, day), out _))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly (string Placeholder, RewardPeriod Period)[] All =
        [(Date, RewardPeriod.Day), (Week, RewardPeriod.Week), (Month, RewardPeriod.Month)];

    private static string FormatIso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
