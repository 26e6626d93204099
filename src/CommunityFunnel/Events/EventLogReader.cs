using System.Runtime.CompilerServices;

using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Events;

/// <summary>
/// Streams events out of an event-log/v1 JSON Lines source. Memory stays bounded by the longest line
/// (see <see cref="EventLogReaderOptions.MaxLineBytes"/>), a few 1 MiB batches when a file is parsed on several
/// threads (<see cref="EventLogReaderOptions.ParseThreads"/>), plus, when duplicates are ignored, 16 bytes per
/// distinct id; it does not grow with the length of the file otherwise.
/// </summary>
/// <remarks>
/// A reader instance reads one source; <see cref="Statistics"/> counts what it saw. Every bad line is an
/// <see cref="EventLogException"/> that names its line number and rule, unless
/// <see cref="EventLogReaderOptions.OnInvalidLine"/> takes it; no line is dropped silently.
/// </remarks>
public sealed class EventLogReader
{
    private const int InitialBufferSize = 64 * 1024;
    private readonly EventLogReaderOptions _options;
    private readonly FingerprintSet? _seenIds;
    private readonly EventLineParser _parser = new();
    private int _started;

    /// <summary>Creates a reader for one source.</summary>
    public EventLogReader(EventLogReaderOptions? options = null)
    {
        _options = options ?? new EventLogReaderOptions();
        if (_options.MaxLineBytes is < EventLogReaderOptions.MinLineBytesLimit or > EventLogReaderOptions.MaxLineBytesLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                _options.MaxLineBytes,
                $"EventLogReaderOptions.MaxLineBytes must be from {EventLogReaderOptions.MinLineBytesLimit} to {EventLogReaderOptions.MaxLineBytesLimit} (1 GiB).");
        }

        if (_options.ParseThreads is < 0 or > EventLogReaderOptions.MaxParseThreads)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                _options.ParseThreads,
                $"EventLogReaderOptions.ParseThreads must be from 0 (one per processor) to {EventLogReaderOptions.MaxParseThreads}.");
        }

        _seenIds = _options.IgnoreDuplicates ? new FingerprintSet() : null;
    }

    /// <summary>What this reader has seen so far.</summary>
    public EventLogReadStatistics Statistics { get; } = new();

    /// <summary>Reads every event of a file; the file is opened when enumeration starts and closed when it ends.</summary>
    public static IEnumerable<CommunityEvent> ReadFile(string path, EventLogReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new EventLogReader(options).ReadFileEvents(path);
    }

    /// <summary>Reads every event of a file, keeping this reader's <see cref="Statistics"/>.</summary>
    public IEnumerable<CommunityEvent> ReadFileEvents(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // The length (when the file is there already) tells a consumer such as the activation calculator how large to make its tables.
        var info = new FileInfo(path);
        return new EstimatedEvents(ReadFileCore(path), info.Exists ? EstimatedEvents.LinesIn(info.Length) : 0);
    }

    /// <summary>Reads events from a UTF-8 stream, synchronously. The stream is not disposed.</summary>
    public IEnumerable<CommunityEvent> Read(Stream utf8Stream)
    {
        ArgumentNullException.ThrowIfNull(utf8Stream);
        return ReadCore(utf8Stream);
    }

    /// <summary>Reads events from a UTF-8 stream, asynchronously. The stream is not disposed.</summary>
    public IAsyncEnumerable<CommunityEvent> ReadAsync(Stream utf8Stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Stream);
        return ReadAsyncCore(utf8Stream, cancellationToken);
    }

    private IEnumerable<CommunityEvent> ReadFileCore(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

        // Size the id set once for the file instead of rebuilding it as it grows: the set ends about this large
        // anyway. Pipes have no length.
        if (_seenIds is not null && stream.CanSeek)
        {
            _seenIds.EnsureCapacity(EstimatedEvents.LinesIn(stream.Length));
        }

        var threads = _options.ParseThreads == 0 ? Math.Min(Environment.ProcessorCount, EventLogReaderOptions.MaxParseThreads) : _options.ParseThreads;
        var parallel = threads > 1 && stream.CanSeek && stream.Length > 4L * _options.BatchBytes;
        foreach (var e in parallel ? ReadParallel(stream, threads) : ReadCore(stream))
        {
            yield return e;
        }
    }

    /// <summary>
    /// As <see cref="ReadCore"/>, with the lines parsed on <paramref name="threads"/> threads; what depends on the
    /// order (duplicates, statistics, line numbers, the invalid-line callback) is done here, on the caller's thread.
    /// </summary>
    private IEnumerable<CommunityEvent> ReadParallel(Stream stream, int threads)
    {
        MarkStarted();
        var printer = _seenIds is { } ids ? new ParallelLineParsing.FingerprintPrinter(ids.Fingerprint) : null;
        using var parsing = new ParallelLineParsing(stream, threads, _options.MaxLineBytes, _options.BatchBytes, printer);
        var prints = Array.Empty<(ulong Hi, ulong Lo)>();
        var duplicate = Array.Empty<bool>();
        while (parsing.Next() is { } batch)
        {
            // The batch's ids checked in one run: the same answers as one Add each in line order, with the table's
            // accesses sorted by region (most of the check's cost is memory, not hashing).
            var parsed = 0;
            if (_seenIds is not null)
            {
                if (prints.Length < batch.Count)
                {
                    prints = new (ulong, ulong)[batch.Count];
                    duplicate = new bool[batch.Count];
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch.Event(i) is not null)
                    {
                        prints[parsed++] = batch.Print(i);
                    }
                }

                duplicate.AsSpan(0, parsed).Clear(); // AddRun only sets the duplicates' flags
                _seenIds.AddRun(prints.AsSpan(0, parsed), duplicate.AsSpan(0, parsed));
            }

            var errors = batch.Errors;
            var nextError = 0;
            var next = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                Statistics.Lines++;
                Statistics.BytesRead += batch.ConsumedBytes(i);
                if (batch.Fault is { } fault && fault.Index == i)
                {
                    fault.Error.Throw();
                }

                EventLogException? error = null;
                if (batch.IsTooLong(i))
                {
                    error = TooLong(Statistics.Lines);
                }
                else if (nextError < errors.Count && errors[nextError].Index == i)
                {
                    var relative = errors[nextError++].Error;
                    error = new EventLogException(Statistics.Lines, relative.Rule, relative.Detail);
                }

                if (error is not null)
                {
                    if (_options.OnInvalidLine is null)
                    {
                        throw error;
                    }

                    Report(error);
                    continue;
                }

                if (batch.Event(i) is not { } e)
                {
                    Statistics.BlankLines++;
                    continue;
                }

                if (_seenIds is not null && duplicate[next++])
                {
                    Statistics.Duplicates++;
                    continue;
                }

                Statistics.Events++;
                yield return e;
            }

            parsing.Return(batch);
        }
    }

    private IEnumerable<CommunityEvent> ReadCore(Stream stream)
    {
        var lines = Begin();
        while (true)
        {
            while (lines.TryTakeLine(out var start, out var length))
            {
                if (Accept(lines, start, length) is { } e)
                {
                    yield return e;
                }
            }

            if (lines.AtEnd)
            {
                yield break;
            }

            lines.Fill(stream.Read(lines.FreeSpace()));
        }
    }

    private async IAsyncEnumerable<CommunityEvent> ReadAsyncCore(
        Stream stream,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lines = Begin();
        while (true)
        {
            while (lines.TryTakeLine(out var start, out var length))
            {
                if (Accept(lines, start, length) is { } e)
                {
                    yield return e;
                }
            }

            if (lines.AtEnd)
            {
                yield break;
            }

            lines.Fill(await stream.ReadAsync(lines.FreeMemory(), cancellationToken).ConfigureAwait(false));
        }
    }

    private LineBuffer Begin()
    {
        MarkStarted();
        return new LineBuffer(InitialBufferSize, _options.MaxLineBytes, Statistics);
    }

    private void MarkStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("An EventLogReader reads one source once; create a new reader for another read.");
        }
    }

    /// <summary>Parses one line; returns the event, or null for a blank line, a duplicate or a reported bad line.</summary>
    private CommunityEvent? Accept(LineBuffer lines, int start, int length)
    {
        var lineNumber = Statistics.Lines;
        try
        {
            if (lines.TooLong)
            {
                throw TooLong(lineNumber);
            }

            var line = lines.Span(start, length);
            if (EventLineParser.IsBlank(line))
            {
                Statistics.BlankLines++;
                return null;
            }

            var e = _parser.Parse(line, lineNumber);
            if (_seenIds is not null && !_seenIds.Add(e.Id))
            {
                Statistics.Duplicates++;
                return null;
            }

            Statistics.Events++;
            return e;
        }
        catch (EventLogException error) when (_options.OnInvalidLine is not null)
        {
            Report(error);
            return null;
        }
    }

    private EventLogException TooLong(long lineNumber) =>
        new(lineNumber, EventLogRule.LineTooLong, $"longer than {_options.MaxLineBytes} bytes");

    /// <summary>Hands a bad line to <see cref="EventLogReaderOptions.OnInvalidLine"/> (set) and counts it.</summary>
    private void Report(EventLogException error)
    {
        Statistics.InvalidLines++;
        _options.OnInvalidLine!(error);
    }
}
