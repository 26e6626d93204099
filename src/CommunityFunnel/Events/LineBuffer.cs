namespace CommunityFunnel.Events;

/// <summary>
/// Splits a byte stream into lines without holding more than one line (plus one read) in memory. A line longer
/// than the limit is not buffered: it is reported once as <see cref="TooLong"/> and its bytes are dropped.
/// </summary>
internal sealed class LineBuffer
{
    private readonly int _maxLine;
    private readonly EventLogReadStatistics _stats;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _eof;
    private bool _discarding;
    private bool _bomChecked;

    public LineBuffer(int initialSize, int maxLine, EventLogReadStatistics stats)
    {
        _buffer = new byte[Math.Min(initialSize, maxLine + 2)];
        _maxLine = maxLine;
        _stats = stats;
    }

    /// <summary>True once the stream is exhausted and every line has been taken.</summary>
    public bool AtEnd => _eof && _start == _end && !_discarding;

    /// <summary>Whether the line last taken was too long (its bytes are gone).</summary>
    public bool TooLong { get; private set; }

    public ReadOnlySpan<byte> Span(int start, int length) => _buffer.AsSpan(start, length);

    /// <summary>Takes the next complete line (without its <c>\n</c> or <c>\r\n</c>), or the last unterminated one at the end.</summary>
    public bool TryTakeLine(out int start, out int length)
    {
        TooLong = false;
        start = length = 0;
        if (!_bomChecked && (_end - _start >= 3 || _eof))
        {
            _bomChecked = true;
            if (_buffer.AsSpan(_start, _end - _start).StartsWith("\uFEFF"u8))
            {
                _start += 3;
                _stats.BytesRead += 3;
                _scanned = Math.Max(_scanned, _start);
            }
        }
        else if (!_bomChecked)
        {
            return false;
        }

        var newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
        if (newline >= 0)
        {
            var lineEnd = _scanned + newline;
            _stats.Lines++;
            _stats.BytesRead += lineEnd + 1 - _start;
            start = _start;
            length = lineEnd - _start;
            if (length > 0 && _buffer[lineEnd - 1] == (byte)'\r')
            {
                length--;
            }

            // The limit counts the line's own bytes, not its line end.
            TooLong = _discarding || length > _maxLine;
            _discarding = false;

            _start = _scanned = lineEnd + 1;
            return true;
        }

        _scanned = _end;
        if (_eof && (_start < _end || _discarding))
        {
            _stats.Lines++;
            _stats.BytesRead += _end - _start;
            TooLong = _discarding || _end - _start > _maxLine;
            _discarding = false;
            start = _start;
            length = _end - _start;
            _start = _scanned = _end;
            return true;
        }

        return false;
    }

    /// <summary>Makes room for the next read: compacts, grows up to the line limit, or starts discarding an overlong line.</summary>
    public Span<byte> FreeSpace() => FreeMemory().Span;

    /// <inheritdoc cref="FreeSpace"/>
    public Memory<byte> FreeMemory()
    {
        if (_end == _buffer.Length)
        {
            var pending = _end - _start;
            if (pending > _maxLine + 1)
            {
                // The current line cannot be valid: drop what we have of it and remember to drop the rest.
                _stats.BytesRead += pending;
                _discarding = true;
                _start = _end = _scanned = 0;
            }
            else if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
                _scanned -= _start;
                _end = pending;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxLine + 2));
                if (_end == _buffer.Length)
                {
                    // Already at the limit: the next round discards.
                    return FreeMemory();
                }
            }
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Records how many bytes the last read put into <see cref="FreeMemory"/>; 0 means end of stream.</summary>
    public void Fill(int count)
    {
        if (count == 0)
        {
            _eof = true;
        }

        _end += count;
    }
}
