using System.Collections;

namespace CommunityFunnel.Events;

/// <summary>
/// A sequence of events with an estimate of how many it will yield, known before it is enumerated (for a file,
/// its length over a typical line's), so that a consumer can size its tables once instead of growing them.
/// </summary>
internal sealed class EstimatedEvents(IEnumerable<CommunityEvent> events, int expectedCount) : IEnumerable<CommunityEvent>
{
    /// <summary>A line of event-log/v1 takes well over 64 bytes; typical ones about 120 to 130.</summary>
    private const int BytesPerLine = 128;

    /// <summary>About how many events the sequence yields (0 when unknown).</summary>
    public int ExpectedCount { get; } = expectedCount;

    /// <summary>About how many lines a log of <paramref name="bytes"/> bytes holds.</summary>
    public static int LinesIn(long bytes) => (int)Math.Clamp(bytes / BytesPerLine, 0, 1 << 26);

    /// <summary>The count of an array or a collection, the estimate of an <see cref="EstimatedEvents"/>, else 0.</summary>
    public static int Of(IEnumerable<CommunityEvent> events) =>
        events.TryGetNonEnumeratedCount(out var count) ? count : events is EstimatedEvents estimated ? estimated.ExpectedCount : 0;

    public IEnumerator<CommunityEvent> GetEnumerator() => events.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
