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

    /// <summary>The smallest <see cref="MaxLineBytes"/> a reader accepts: 64 bytes.</summary>
    public const int MinLineBytesLimit = 64;

    /// <summary>The largest <see cref="MaxLineBytes"/> a reader accepts: 1 GiB.</summary>
    public const int MaxLineBytesLimit = 1 << 30;

    /// <summary>
    /// The longest line accepted, in bytes, not counting its line end (default 1 MiB). A longer line is an
    /// <see cref="EventLogRule.LineTooLong"/> error naming its line, never a buffer that grows without bound; the
    /// reader's buffer grows to at most this. From <see cref="MinLineBytesLimit"/> to <see cref="MaxLineBytesLimit"/>;
    /// another value makes the <see cref="EventLogReader"/> constructor throw <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public int MaxLineBytes { get; set; } = 1 << 20;

    /// <summary>
    /// Called for a bad line instead of throwing; the line is then skipped and counted in
    /// <see cref="EventLogReadStatistics.InvalidLines"/>. Default <see langword="null"/>: the first bad line throws.
    /// </summary>
    public Action<EventLogException>? OnInvalidLine { get; set; }
}
