namespace CommunityFunnel.Events;

/// <summary>
/// Parses a file's lines on several threads while its caller consumes them in file order. One thread cuts the file
/// into lines with the same <see cref="LineBuffer"/> as a sequential read (so line numbers, the BOM, line ends and
/// overlong lines are decided exactly as there) and copies them, a batch at a time, into buffers; workers parse
/// batches, each with its own <see cref="EventLineParser"/>; the caller takes the batches back in order and does
/// everything that depends on order (duplicates, statistics, the invalid-line callback) on its own thread. A bad line
/// is parsed into its exception and thrown, or reported, when the caller reaches it, so the result and the errors
/// are those of a sequential read. At most <see cref="BatchesInFlight"/> batches exist at once: memory is bounded
/// by the batch size, not by the file.
/// </summary>
/// <remarks>The threads run only the library's own code on a file the library opened; no host code runs on them.</remarks>
internal sealed class ParallelLineParsing : IDisposable
{
    private readonly int _workers;
    private readonly Queue<Batch> _ordered = new(); // cut, in file order, awaiting the caller
    private readonly Queue<Batch> _toParse = new();
    private readonly Stack<Batch> _free = new();
    private readonly object _gate = new();
    private readonly Thread[] _threads;
    private readonly Stream _stream;
    private readonly int _maxLine;
    private readonly FingerprintPrinter? _printer;
    private readonly int _batchBytes;
    private int _created;
    private bool _cutDone;
    private bool _stopping;
    private Exception? _cutError;

    /// <summary>The most lines a batch holds, whatever their length.</summary>
    internal const int MaxBatchLines = 1 << 16;

    private int BatchesInFlight => _workers * 2 + 2;

    /// <summary>Starts cutting <paramref name="stream"/> and parsing on <paramref name="workers"/> threads.</summary>
    /// <param name="stream">The file, read from its current position on the cutting thread.</param>
    /// <param name="workers">Parsing threads.</param>
    /// <param name="maxLine">The longest line accepted, as <see cref="EventLogReaderOptions.MaxLineBytes"/>.</param>
    /// <param name="batchBytes">The bytes of lines a batch holds (a line longer than this makes its batch larger).</param>
    /// <param name="printer">Computes each event id's fingerprint on the workers, when duplicates are checked.</param>
    public ParallelLineParsing(Stream stream, int workers, int maxLine, int batchBytes, FingerprintPrinter? printer)
    {
        _batchBytes = batchBytes;
        _stream = stream;
        _workers = workers;
        _maxLine = maxLine;
        _printer = printer;
        _threads = new Thread[workers + 1];
        _threads[0] = new Thread(Cut) { IsBackground = true, Name = "CommunityFunnel event log cutter" };
        for (var i = 1; i <= workers; i++)
        {
            _threads[i] = new Thread(Parse) { IsBackground = true, Name = "CommunityFunnel event log parser" };
        }

        foreach (var t in _threads)
        {
            t.Start();
        }
    }

    /// <summary>Computes an event id's fingerprint for the duplicate check on a worker thread.</summary>
    internal delegate (ulong Hi, ulong Lo) FingerprintPrinter(string id);

    /// <summary>The next batch in file order, parsed; null at the end. Rethrows a read error of the cutting thread.</summary>
    public Batch? Next()
    {
        lock (_gate)
        {
            while (true)
            {
                if (_ordered.Count > 0 && _ordered.Peek().Parsed)
                {
                    return _ordered.Dequeue();
                }

                if (_ordered.Count == 0 && _cutDone)
                {
                    if (_cutError is not null)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_cutError).Throw();
                    }

                    return null;
                }

                Monitor.Wait(_gate);
            }
        }
    }

    /// <summary>Hands a consumed batch back for reuse.</summary>
    public void Return(Batch batch)
    {
        lock (_gate)
        {
            batch.Reset();
            _free.Push(batch);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Stops the threads and waits for them, so the file is closed when this returns.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        foreach (var t in _threads)
        {
            t.Join();
        }
    }

    private Batch? TakeFree()
    {
        lock (_gate)
        {
            while (!_stopping)
            {
                if (_free.Count > 0)
                {
                    return _free.Pop();
                }

                if (_created < BatchesInFlight)
                {
                    _created++;
                    return new Batch(_batchBytes);
                }

                Monitor.Wait(_gate);
            }

            return null;
        }
    }

    private void Publish(Batch batch)
    {
        lock (_gate)
        {
            _ordered.Enqueue(batch);
            _toParse.Enqueue(batch);
            Monitor.PulseAll(_gate);
        }
    }

    private void Cut()
    {
        try
        {
            var stats = new EventLogReadStatistics();
            var lines = new LineBuffer(64 * 1024, _maxLine, stats);
            var batch = TakeFree();
            long counted = 0;
            while (batch is not null)
            {
                while (lines.TryTakeLine(out var start, out var length))
                {
                    // The bytes since the last line: this one's, its line end, and a BOM or an overlong line's dropped part before it.
                    batch.Add(lines.Span(start, length), lines.TooLong, stats.BytesRead - counted);
                    counted = stats.BytesRead;
                    // Bounded by lines too: blank and overlong lines keep no bytes.
                    if (batch.Bytes >= _batchBytes || batch.Count >= MaxBatchLines)
                    {
                        Publish(batch);
                        batch = TakeFree();
                        if (batch is null)
                        {
                            return;
                        }
                    }
                }

                if (lines.AtEnd)
                {
                    break;
                }

                lines.Fill(_stream.Read(lines.FreeSpace()));
            }

            if (batch is { Count: > 0 })
            {
                Publish(batch);
            }
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                _cutError = e;
            }
        }
        finally
        {
            lock (_gate)
            {
                _cutDone = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void Parse()
    {
        var parser = new EventLineParser();
        while (true)
        {
            Batch batch;
            lock (_gate)
            {
                while (_toParse.Count == 0 && !_stopping && !_cutDone)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping || _toParse.Count == 0)
                {
                    return;
                }

                batch = _toParse.Dequeue();
            }

            batch.ParseAll(parser, _printer);
            lock (_gate)
            {
                batch.Parsed = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Lines cut from the file, then their parse results; line numbers are relative to the batch.</summary>
    internal sealed class Batch(int bytes)
    {
        private byte[] _data = new byte[bytes + 4096];
        private int[] _starts = new int[8192];
        private int[] _lengths = new int[8192];
        private long[] _consumed = new long[8192]; // bytes of the stream the line took (line end and BOM included)
        private bool[] _tooLong = new bool[8192];
        private CommunityEvent?[] _events = new CommunityEvent?[8192];
        private (ulong Hi, ulong Lo)[] _prints = new (ulong, ulong)[8192];

        public int Count { get; private set; }

        public int Bytes { get; private set; }

        /// <summary>Set (under the gate) once every line is parsed.</summary>
        public bool Parsed { get; set; }

        /// <summary>The bad lines' errors with their line numbers relative to the batch (the line's index + 1).</summary>
        public List<(int Index, EventLogException Error)> Errors { get; } = [];

        /// <summary>An exception other than a bad line's, thrown while parsing line <c>Index</c>; none when null.</summary>
        public (int Index, System.Runtime.ExceptionServices.ExceptionDispatchInfo Error)? Fault { get; private set; }

        public long ConsumedBytes(int index) => _consumed[index];

        public bool IsTooLong(int index) => _tooLong[index];

        /// <summary>The line's event, or null when it is blank or bad.</summary>
        public CommunityEvent? Event(int index) => _events[index];

        public (ulong Hi, ulong Lo) Print(int index) => _prints[index];

        public ReadOnlySpan<byte> Line(int index) => _data.AsSpan(_starts[index], _lengths[index]);

        public void Add(ReadOnlySpan<byte> line, bool tooLong, long consumed)
        {
            if (Count == _starts.Length)
            {
                var n = Count * 2;
                Array.Resize(ref _starts, n);
                Array.Resize(ref _lengths, n);
                Array.Resize(ref _consumed, n);
                Array.Resize(ref _tooLong, n);
                Array.Resize(ref _events, n);
                Array.Resize(ref _prints, n);
            }

            var keep = tooLong ? 0 : line.Length; // an overlong line's bytes are gone already; only its flag matters
            if (Bytes + keep > _data.Length)
            {
                Array.Resize(ref _data, Math.Max(_data.Length * 2, Bytes + keep));
            }

            line[..keep].CopyTo(_data.AsSpan(Bytes));
            _starts[Count] = Bytes;
            _lengths[Count] = keep;
            _consumed[Count] = consumed;
            _tooLong[Count] = tooLong;
            Bytes += keep;
            Count++;
        }

        /// <summary>Parses every line; a bad line's exception is kept with its relative line number, as is a blank line's null.</summary>
        public void ParseAll(EventLineParser parser, FingerprintPrinter? printer)
        {
            for (var i = 0; i < Count; i++)
            {
                if (_tooLong[i])
                {
                    continue; // the caller builds the error: it knows the limit and the line number
                }

                var line = Line(i);
                if (EventLineParser.IsBlank(line))
                {
                    continue;
                }

                try
                {
                    var e = parser.Parse(line, i + 1);
                    _events[i] = e;
                    if (printer is not null)
                    {
                        _prints[i] = printer(e.Id);
                    }
                }
                catch (EventLogException error)
                {
                    Errors.Add((i, error));
                }
                catch (Exception unexpected)
                {
                    // Not a bad line but a fault: the caller rethrows it at this line; the rest is not parsed.
                    Fault = (i, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(unexpected));
                    return;
                }
            }
        }

        public void Reset()
        {
            Array.Clear(_events, 0, Count);
            Errors.Clear();
            Fault = null;
            Count = 0;
            Bytes = 0;
            Parsed = false;
        }
    }
}
