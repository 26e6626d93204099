namespace CommunityFunnel;

/// <summary>Settings shared by every part of CommunityFunnel. Validated when the host starts.</summary>
public sealed class CommunityFunnelOptions
{
    /// <summary>
    /// The community's IANA time zone, used wherever a calendar day, week or month matters (check-in days,
    /// "orders this month", report days). Default <c>Asia/Shanghai</c>.
    /// </summary>
    public string TimeZoneId { get; set; } = "Asia/Shanghai";

    /// <summary>The activation window <c>W</c>: how long after joining an engagement counts. Default 24 hours.</summary>
    public TimeSpan ActivationWindow { get; set; } = TimeSpan.FromHours(24);
}
