using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CommunityFunnel.Events;

/// <summary>
/// Writes events as event-log/v1 JSON Lines: one object a line, fields in the spec's order, absent optional
/// fields left out, <c>at</c> with its original offset (<c>Z</c> for UTC) and only the sub-second digits it has.
/// </summary>
/// <remarks>Output is buffered; call <see cref="Flush"/> or dispose the writer to push it to the stream.</remarks>
public sealed class EventLogWriter : IDisposable, IAsyncDisposable
{
    private const int FlushThreshold = 64 * 1024;
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep non-ASCII text (Chinese nicknames, channel names) readable instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter _json;
    private bool _disposed;

    /// <summary>Creates a writer over a stream.</summary>
    /// <param name="utf8Stream">Where lines go.</param>
    /// <param name="leaveOpen">Leave the stream open when the writer is disposed.</param>
    public EventLogWriter(Stream utf8Stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(utf8Stream);
        _stream = utf8Stream;
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    /// <summary>Events written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one event as one line.</summary>
    public void Write(CommunityEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteLine(e);
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            _stream.Write(_buffer.WrittenSpan);
            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>Writes one event as one line, asynchronously.</summary>
    public async ValueTask WriteAsync(CommunityEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteLine(e);
        if (_buffer.WrittenCount >= FlushThreshold)
        {
            await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            _buffer.ResetWrittenCount();
        }
    }

    /// <summary>Pushes buffered lines to the stream and flushes it.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        _stream.Flush();
    }

    /// <summary>Pushes buffered lines to the stream and flushes it, asynchronously.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes, then closes the stream unless it was left open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Flush();
        _disposed = true;
        _json.Dispose();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>Flushes, then closes the stream unless it was left open.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await FlushAsync().ConfigureAwait(false);
        _disposed = true;
        await _json.DisposeAsync().ConfigureAwait(false);
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The text of <c>at</c>: <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c> then <c>Z</c> or <c>±hh:mm</c>.</summary>
    public static string FormatInstant(DateTimeOffset at)
    {
        var local = at.DateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture);
        return at.Offset == TimeSpan.Zero ? local + "Z" : local + at.ToString("zzz", CultureInfo.InvariantCulture);
    }

    private void WriteLine(CommunityEvent e)
    {
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("id"u8, e.Id);
        _json.WriteString("type"u8, e.Type.ToWireName());
        _json.WriteString("group"u8, e.Group);
        _json.WriteString("member"u8, e.Member);
        _json.WriteString("at"u8, FormatInstant(e.At));
        WriteOptional("channel"u8, e.Channel);
        if (e.Role is { } role)
        {
            _json.WriteString("role"u8, role.ToWireName());
        }

        WriteOptional("by"u8, e.By);
        WriteOptional("task"u8, e.Task);
        if (e.Amount is { } amount)
        {
            _json.WriteNumber("amount"u8, amount);
        }

        WriteOptional("currency"u8, e.Currency);
        WriteOptional("nickname"u8, e.Nickname);
        WriteOptional("attribution"u8, e.Attribution?.ToWireName());
        WriteOptional("scene"u8, e.Scene);
        WriteOptional("coupon"u8, e.CouponCode);
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        Count++;
    }

    private void WriteOptional(ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
        }
    }
}
