namespace CommunityFunnel.Events;

/// <summary>
/// How a replay puts events into time order (instant, then id by ordinal, then file order) within a bounded amount of
/// memory: up to a budget of events is kept in memory; beyond it, sorted runs are spilled to temporary files and
/// merged. Used by the reward replay (<c>RewardReplay</c>) and the CLI's <c>rewards replay</c> and <c>lifecycle replay</c>.
/// </summary>
/// <remarks>
/// Memory for ordering is O(budget), flat in the log's length; disk use is about the size of the log in a compact
/// binary form when the log holds more events than the budget. Every temporary file is deleted when the ordering ends,
/// however it ends (completed, abandoned by the consumer, or an exception).
/// </remarks>
public sealed record EventOrderOptions
{
    /// <summary>The smallest <see cref="MemoryMegabytes"/> accepted: 1.</summary>
    public const int MinMemoryMegabytes = 1;

    /// <summary>The largest <see cref="MemoryMegabytes"/> accepted: 1,048,576 (1 TiB).</summary>
    public const int MaxMemoryMegabytes = 1 << 20;

    /// <summary>The largest <see cref="MaxBufferedEvents"/> accepted: 100,000,000.</summary>
    public const int MaxBufferedEventsLimit = 100_000_000;

    /// <summary>
    /// The memory an ordering may hold events in, in MiB (default 256). It is turned into a number of events at
    /// <see cref="EstimatedBytesPerEvent"/> each (256 MiB: about a million events). From
    /// <see cref="MinMemoryMegabytes"/> to <see cref="MaxMemoryMegabytes"/>.
    /// </summary>
    public int MemoryMegabytes { get; init; } = 256;

    /// <summary>
    /// The number of events kept in memory, overriding <see cref="MemoryMegabytes"/> when set (default
    /// <see langword="null"/>). From 1 to <see cref="MaxBufferedEventsLimit"/>.
    /// </summary>
    public int? MaxBufferedEvents { get; init; }

    /// <summary>
    /// The existing folder for the temporary run files (default <see langword="null"/>: <see cref="Path.GetTempPath"/>).
    /// Files are named <c>cf-order-*.run</c> and deleted when the ordering ends.
    /// </summary>
    public string? TempDirectory { get; init; }

    /// <summary>
    /// The memory an event is taken to use while buffered, in bytes (the event, its strings and its place in the
    /// buffer), for turning <see cref="MemoryMegabytes"/> into a number of events: 256.
    /// </summary>
    public const int EstimatedBytesPerEvent = 256;

    /// <summary>The number of events kept in memory: <see cref="MaxBufferedEvents"/>, else from <see cref="MemoryMegabytes"/>.</summary>
    internal int BufferedEvents => MaxBufferedEvents ?? (int)Math.Min(MaxBufferedEventsLimit, (long)MemoryMegabytes * (1 << 20) / EstimatedBytesPerEvent);

    /// <summary>The folder for run files: <see cref="TempDirectory"/>, else the system's.</summary>
    internal string Directory => TempDirectory ?? Path.GetTempPath();

    /// <summary>Checks every option; the exception's parameter name is the option's.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of its range.</exception>
    /// <exception cref="ArgumentException"><see cref="TempDirectory"/> is empty or not an existing folder.</exception>
    internal void Validate()
    {
        if (MemoryMegabytes is < MinMemoryMegabytes or > MaxMemoryMegabytes)
        {
            throw new ArgumentOutOfRangeException(nameof(MemoryMegabytes), MemoryMegabytes, $"EventOrderOptions.MemoryMegabytes must be from {MinMemoryMegabytes} to {MaxMemoryMegabytes} (MiB).");
        }

        if (MaxBufferedEvents is { } max && (max < 1 || max > MaxBufferedEventsLimit))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBufferedEvents), max, $"EventOrderOptions.MaxBufferedEvents must be from 1 to {MaxBufferedEventsLimit} when set.");
        }

        if (TempDirectory is not null)
        {
            if (TempDirectory.Trim().Length == 0)
            {
                throw new ArgumentException("EventOrderOptions.TempDirectory must not be empty or blank (leave it null for the system's temp folder).", nameof(TempDirectory));
            }

            if (!System.IO.Directory.Exists(TempDirectory))
            {
                throw new ArgumentException($"EventOrderOptions.TempDirectory: no such folder '{TempDirectory}'.", nameof(TempDirectory));
            }
        }
    }
}
