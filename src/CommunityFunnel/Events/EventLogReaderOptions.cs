namespace CommunityFunnel.Events;

/// <summary>How an <see cref="EventLogReader"/> reads.</summary>
public sealed class EventLogReaderOptions
{
    /// <summary>
    /// Skip (and count) events whose <c>id</c> was seen earlier in the same read, as the spec requires. Default
    /// <see langword="true"/>. Remembering ids costs a 16-byte fingerprint slot per distinct id (about 21 bytes with the table's headroom); turn it off only when
    /// the source is known to be free of duplicates and memory must stay constant.
    /// </summary>
    public bool IgnoreDuplicates { get; set; } = true;

    /// <summary>The longest line accepted, in bytes (default 1 MiB). A longer line is an error, never a buffer that grows without bound.</summary>
    public int MaxLineBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Called for a bad line instead of throwing; the line is then skipped and counted in
    /// <see cref="EventLogReadStatistics.InvalidLines"/>. Default <see langword="null"/>: the first bad line throws.
    /// </summary>
    public Action<EventLogException>? OnInvalidLine { get; set; }
}
