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

    /// <summary>The largest <see cref="ParseThreads"/> accepted: 64.</summary>
    public const int MaxParseThreads = 64;

    /// <summary>
    /// Threads that parse a file's lines while the caller consumes its events (default 0: one per processor, so both
    /// cores of a 2-core machine; 1: the caller's thread alone). Applies to files read by
    /// <see cref="EventLogReader.ReadFile"/> and <see cref="EventLogReader.ReadFileEvents"/> of more than a few
    /// MiB; a stream is always read on the caller's thread. The events, their order, the statistics, the errors and
    /// their line numbers are exactly a sequential read's, and <see cref="OnInvalidLine"/> is called on the caller's
    /// thread in line order. From 0 to <see cref="MaxParseThreads"/>; another value makes the
    /// <see cref="EventLogReader"/> constructor throw <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public int ParseThreads { get; set; }

    /// <summary>The bytes of lines handed to a parsing thread at once (1 MiB); tests lower it.</summary>
    internal int BatchBytes { get; set; } = 1 << 20;
}
