using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace CommunityFunnel.Cli;

/// <summary>Parsers for the value formats the CLI accepts: instants and durations.</summary>
internal static partial class CliParsing
{
    /// <summary>An ISO-8601 instant with an offset (<c>Z</c> or <c>+08:00</c>); a value without one is rejected.</summary>
    public static DateTimeOffset ParseInstant(string text, string what)
    {
        if (!InstantWithOffset().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new CliUsageException($"{what}: '{text}' is not an ISO-8601 instant with an offset, e.g. 2026-11-01T00:00:00+08:00");
        }

        return value;
    }

    /// <summary>A positive duration: <c>24h</c>, <c>90m</c>, <c>45s</c>, <c>1d</c>, <c>1d12h</c>, or ISO-8601 <c>PT24H</c>/<c>P1D</c>.</summary>
    public static TimeSpan ParseDuration(string text, string what)
    {
        TimeSpan value;
        if (text.StartsWith('P'))
        {
            try
            {
                value = XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
                throw new CliUsageException($"{what}: '{text}' is not an ISO-8601 duration such as PT24H");
            }
        }
        else
        {
            var match = ShortDuration().Match(text);
            if (!match.Success || match.Length == 0)
            {
                throw new CliUsageException($"{what}: '{text}' is not a duration such as 24h, 90m, 1d or PT24H");
            }

            value = TimeSpan.Zero;
            value += TimeSpan.FromDays(Part(match, "d"));
            value += TimeSpan.FromHours(Part(match, "h"));
            value += TimeSpan.FromMinutes(Part(match, "m"));
            value += TimeSpan.FromSeconds(Part(match, "s"));
        }

        if (value <= TimeSpan.Zero)
        {
            throw new CliUsageException($"{what}: the duration must be positive");
        }

        return value;
    }

    private static long Part(Match match, string unit) =>
        match.Groups[unit].Success ? long.Parse(match.Groups[unit].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$")]
    private static partial Regex InstantWithOffset();

    [GeneratedRegex(@"^(?:(?<d>[0-9]{1,5})d)?(?:(?<h>[0-9]{1,6})h)?(?:(?<m>[0-9]{1,8})m)?(?:(?<s>[0-9]{1,10})s)?$")]
    private static partial Regex ShortDuration();
}
