namespace CommunityFunnel.Events;

/// <summary>What putting a log into time order took (see <see cref="EventOrderOptions"/>).</summary>
public sealed record EventOrderStatistics
{
    /// <summary>Events ordered.</summary>
    public long Events { get; init; }

    /// <summary>The most events held in memory at once.</summary>
    public long MaxBuffered { get; init; }

    /// <summary>
    /// Events that came later than the in-memory buffer could hold: earlier than an event already moved out of
    /// the buffer into a run. Each starts or joins a further sorted run. Zero for a log whose lines are never further
    /// out of order than the buffer's size.
    /// </summary>
    public long LateEvents { get; init; }

    /// <summary>Sorted runs written to temporary files (0 when the log fits in memory), including merge passes' own.</summary>
    public int SpilledRuns { get; init; }

    /// <summary>Events written to temporary files, counted once per write.</summary>
    public long SpilledEvents { get; init; }

    /// <summary>Bytes written to temporary files.</summary>
    public long SpilledBytes { get; init; }

    /// <summary>
    /// Times the log was read: 1, or 2 when a replay that reads its log twice if needed (one given a way to open it
    /// again) found it further out of order than the buffer holds, after handing events on as they came, and started
    /// over through sorted runs. The other figures are the last pass's.
    /// </summary>
    public int Passes { get; init; }
}
