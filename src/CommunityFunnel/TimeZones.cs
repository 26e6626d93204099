using System.Diagnostics.CodeAnalysis;

namespace CommunityFunnel;

/// <summary>Looks up IANA time zones by id.</summary>
internal static class TimeZones
{
    public static bool TryFind(string id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = null;
            return false;
        }
    }

    /// <summary>Finds a zone or throws an <see cref="ArgumentException"/> naming the parameter and the id.</summary>
    public static TimeZoneInfo Find(string id, string paramName) =>
        TryFind(id, out var zone)
            ? zone
            : throw new ArgumentException($"'{id}' is not an IANA time zone known to this machine.", paramName);
}
