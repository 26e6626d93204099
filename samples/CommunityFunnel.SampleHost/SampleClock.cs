namespace CommunityFunnel.SampleHost;

/// <summary>
/// The clock of <c>CommunityFunnel:Sample:ClockStart</c>: the system clock moved so that it reads the configured
/// instant when the host is built, then running at real speed (timers are the system's). A demonstration reaches a
/// week's close in seconds with it; the crash tests kill the host while it closes a draw.
/// </summary>
public sealed class SampleClock : TimeProvider
{
    private readonly TimeSpan _offset;

    /// <summary>A clock that reads <paramref name="start"/> now.</summary>
    /// <param name="start">The instant it reads now.</param>
    public SampleClock(DateTimeOffset start) => _offset = start - TimeProvider.System.GetUtcNow();

    /// <inheritdoc/>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;   // never the machine's zone

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + _offset;
}
