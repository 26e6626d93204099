namespace CommunityFunnel.Lottery;

/// <summary>When a draw closes by itself: at a time, when a number of entries is reached, or only when told.</summary>
public sealed record DrawSchedule
{
    private DrawSchedule(DateTimeOffset? closesAt, int? closesAtEntries)
    {
        ClosesAt = closesAt;
        ClosesAtEntries = closesAtEntries;
    }

    /// <summary>No schedule: the host closes the draw.</summary>
    public static DrawSchedule Manual { get; } = new(null, null);

    /// <summary>The instant the entries close, or <see langword="null"/>.</summary>
    public DateTimeOffset? ClosesAt { get; }

    /// <summary>The entry count at which the entries close, or <see langword="null"/>.</summary>
    public int? ClosesAtEntries { get; }

    /// <summary>Closes the entries at <paramref name="instant"/> (read from the host's <see cref="TimeProvider"/>).</summary>
    /// <param name="instant">When the entries close.</param>
    /// <returns>The schedule.</returns>
    public static DrawSchedule At(DateTimeOffset instant) => new(instant, null);

    /// <summary>Closes the entries as soon as <paramref name="entries"/> entries are in.</summary>
    /// <param name="entries">The entry count, at least 1.</param>
    /// <returns>The schedule.</returns>
    public static DrawSchedule WhenEntries(int entries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(entries, 1);
        return new(null, entries);
    }
}
