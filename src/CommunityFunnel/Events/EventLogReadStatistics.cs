namespace CommunityFunnel.Events;

/// <summary>What an <see cref="EventLogReader"/> has seen so far. Updated as the read goes on.</summary>
public sealed class EventLogReadStatistics
{
    /// <summary>Lines read, blank ones included.</summary>
    public long Lines { get; internal set; }

    /// <summary>Events returned (duplicates and bad lines not included).</summary>
    public long Events { get; internal set; }

    /// <summary>Events skipped because their <c>id</c> was seen earlier.</summary>
    public long Duplicates { get; internal set; }

    /// <summary>Blank lines skipped.</summary>
    public long BlankLines { get; internal set; }

    /// <summary>Bad lines passed to <see cref="EventLogReaderOptions.OnInvalidLine"/> and skipped.</summary>
    public long InvalidLines { get; internal set; }

    /// <summary>Bytes consumed from the stream.</summary>
    public long BytesRead { get; internal set; }
}
