using CommunityFunnel.Events;

namespace CommunityFunnel.Simulation;

/// <summary>
/// Generates a realistic synthetic event log (event-log/v1) for a community of several groups: joins through
/// several channels with an evening-peaked daily rhythm, per-channel engagement, staff and bots, check-in streaks,
/// task submissions and reviews, lottery entries, orders, nickname changes, members who go silent, leave, are
/// removed or rejoin, plus platform noise (retried duplicates, late callbacks). Deterministic for the options.
/// </summary>
public static class CommunitySimulator
{
    /// <summary>
    /// Streams the events of a simulated community, day by day, in the order a platform would report them
    /// (by time, apart from the late and duplicate ones). Lazy: nothing is generated until enumeration, and
    /// memory stays at one small record per member plus one day's events. Each enumeration starts afresh and
    /// yields the same events.
    /// </summary>
    /// <param name="options">Size, seed, start date and zone of the community.</param>
    /// <returns>The events; duplicates share their original's id and fields.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names each bad field.</exception>
    public static IEnumerable<CommunityEvent> Generate(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var zone = options.Validate();
        return GenerateCore(options, zone);
    }

    /// <summary>
    /// Writes the simulated log to <paramref name="utf8Stream"/> as event-log/v1 JSON Lines (the stream is left
    /// open). The same options give the same bytes.
    /// </summary>
    /// <param name="utf8Stream">Where the lines go.</param>
    /// <param name="options">Size, seed, start date and zone of the community.</param>
    /// <param name="progress">Called now and then with the last written event, e.g. to draw a progress bar.</param>
    /// <returns>The number of lines written (duplicates included).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names each bad field.</exception>
    public static long WriteTo(Stream utf8Stream, SimulationOptions options, Action<CommunityEvent>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(utf8Stream);
        var events = Generate(options);
        using var writer = new EventLogWriter(utf8Stream, leaveOpen: true);
        foreach (var e in events)
        {
            writer.Write(e);
            if (progress is not null && (writer.Count & 0xFFF) == 0)
            {
                progress(e);
            }
        }

        writer.Flush();
        return writer.Count;
    }

    /// <summary>The number of groups a community of <paramref name="members"/> members is spread over (at least 3).</summary>
    /// <param name="members">Members who join.</param>
    /// <returns>About one group per 22 000 members, at least 3.</returns>
    public static int GroupCount(int members) => Math.Max(3, (Math.Max(members, 1) + 21_999) / 22_000);

    private static IEnumerable<CommunityEvent> GenerateCore(SimulationOptions options, TimeZoneInfo zone)
    {
        var engine = new SimulationEngine(options, zone);
        foreach (var e in engine.Run())
        {
            yield return e;
        }
    }
}
