using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace CommunityFunnel.Events;

/// <summary>
/// The compact binary form of a sorted run of events that <see cref="EventTimeOrder"/> spills to a temporary file:
/// per event a length prefix, then the event's arrival number, its instant (UTC ticks and offset minutes), type, a
/// presence mask of the optional fields and the fields themselves. Strings are UTF-8, or UTF-16 when they hold a lone
/// surrogate (which UTF-8 cannot carry), so an event reads back exactly as it was written.
/// </summary>
internal static class EventRunFile
{
    public const string FilePrefix = "cf-order-";
    public const string FileExtension = ".run";

    [Flags]
    private enum Fields : ushort
    {
        None = 0,
        Channel = 1 << 0,
        Role = 1 << 1,
        By = 1 << 2,
        Task = 1 << 3,
        Amount = 1 << 4,
        Currency = 1 << 5,
        Nickname = 1 << 6,
        Attribution = 1 << 7,
        Scene = 1 << 8,
        CouponCode = 1 << 9,
    }

    /// <summary>A new, unique run file's path in <paramref name="directory"/>.</summary>
    public static string NewPath(string directory) =>
        Path.Combine(directory, FilePrefix + Guid.NewGuid().ToString("N") + FileExtension);

    /// <summary>Writes one run; dispose (or <see cref="Complete"/>) to flush and close the file.</summary>
    internal sealed class Writer : IDisposable
    {
        private const int FlushAt = 1 << 16;
        private readonly FileStream _file;
        private byte[] _buffer = new byte[FlushAt * 2];
        private int _used;
        private bool _closed;

        public Writer(string path)
        {
            Path = path;
            _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.SequentialScan);
        }

        public string Path { get; }

        public long Events { get; private set; }

        public long Bytes { get; private set; }

        public void Write(CommunityEvent e, long sequence)
        {
            // Room for the fixed part and a 5-byte length prefix; strings make sure of their own.
            Ensure(64);
            var start = _used;
            _used += 5; // the length prefix, written once the record's length is known
            PutVarint((ulong)sequence);
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_used), e.AtUtcTicks);
            _used += 8;
            BinaryPrimitives.WriteInt16LittleEndian(_buffer.AsSpan(_used), checked((short)(e.At.Offset.Ticks / TimeSpan.TicksPerMinute)));
            _used += 2;
            _buffer[_used++] = (byte)e.Type;
            var fields = Fields.None;
            fields |= e.Channel is null ? 0 : Fields.Channel;
            fields |= e.Role is null ? 0 : Fields.Role;
            fields |= e.By is null ? 0 : Fields.By;
            fields |= e.Task is null ? 0 : Fields.Task;
            fields |= e.Amount is null ? 0 : Fields.Amount;
            fields |= e.Currency is null ? 0 : Fields.Currency;
            fields |= e.Nickname is null ? 0 : Fields.Nickname;
            fields |= e.Attribution is null ? 0 : Fields.Attribution;
            fields |= e.Scene is null ? 0 : Fields.Scene;
            fields |= e.CouponCode is null ? 0 : Fields.CouponCode;
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_used), (ushort)fields);
            _used += 2;
            PutString(e.Id);
            PutString(e.Group);
            PutString(e.Member);
            PutOptional(e.Channel);
            if (e.Role is { } role)
            {
                Ensure(1);
                _buffer[_used++] = (byte)role;
            }

            PutOptional(e.By);
            PutOptional(e.Task);
            if (e.Amount is { } amount)
            {
                Ensure(10);
                PutVarint((ulong)amount);
            }

            PutOptional(e.Currency);
            PutOptional(e.Nickname);
            if (e.Attribution is { } attribution)
            {
                Ensure(1);
                _buffer[_used++] = (byte)attribution;
            }

            PutOptional(e.Scene);
            PutOptional(e.CouponCode);

            // A fixed 5-byte varint (continuation bits set on the first four) keeps the record where it is.
            var length = (uint)(_used - start - 5);
            for (var i = 0; i < 4; i++)
            {
                _buffer[start + i] = (byte)((length & 0x7F) | 0x80);
                length >>= 7;
            }

            _buffer[start + 4] = (byte)length;
            Events++;
            if (_used >= FlushAt)
            {
                FlushBuffer();
            }
        }

        /// <summary>Flushes and closes the file; the run can then be read.</summary>
        public void Complete()
        {
            if (_closed)
            {
                return;
            }

            FlushBuffer();
            _closed = true;
            _file.Dispose();
        }

        public void Dispose()
        {
            if (!_closed)
            {
                _closed = true;
                _file.Dispose();
            }
        }

        private void FlushBuffer()
        {
            _file.Write(_buffer, 0, _used);
            Bytes += _used;
            _used = 0;
        }

        private void Ensure(int bytes)
        {
            if (_buffer.Length - _used < bytes)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + bytes));
            }
        }

        private void PutVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer[_used++] = unchecked((byte)(value | 0x80));
                value >>= 7;
            }

            _buffer[_used++] = (byte)value;
        }

        private void PutOptional(string? value)
        {
            if (value is not null)
            {
                PutString(value);
            }
        }

        private void PutString(string value)
        {
            // At most 3 UTF-8 bytes per UTF-16 char, plus the header.
            var max = checked((value.Length * 3) + 10);
            Ensure(max);
            var header = _used;
            _used += 5;
            var status = Utf8.FromUtf16(value, _buffer.AsSpan(_used), out _, out var written, replaceInvalidSequences: false);
            uint head;
            if (status == OperationStatus.Done)
            {
                head = checked((uint)written << 1);
                _used += written;
            }
            else
            {
                // A lone surrogate: keep the UTF-16 code units as they are.
                var bytes = MemoryMarshal.AsBytes(value.AsSpan());
                bytes.CopyTo(_buffer.AsSpan(_used));
                head = checked(((uint)value.Length << 1) | 1);
                _used += bytes.Length;
            }

            for (var i = 0; i < 4; i++)
            {
                _buffer[header + i] = (byte)((head & 0x7F) | 0x80);
                head >>= 7;
            }

            _buffer[header + 4] = (byte)head;
        }
    }

    /// <summary>Reads a run back in the order written; deletes the file when disposed.</summary>
    internal sealed class Reader : IDisposable
    {
        private readonly FileStream _file;
        private byte[] _buffer = new byte[1 << 16];
        private int _start;
        private int _end;
        private bool _eof;

        public Reader(string path)
        {
            _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan | FileOptions.DeleteOnClose);
        }

        /// <summary>Reads the next event and its arrival number; false at the end of the run.</summary>
        public bool TryRead(out CommunityEvent e, out long sequence)
        {
            if (!Fill(5))
            {
                if (_end != _start)
                {
                    throw new InvalidDataException("A spilled run file ends inside a record.");
                }

                e = null!;
                sequence = 0;
                return false;
            }

            var at = _start;
            var length = (int)ReadVarint(ref at);
            if (!Fill(5 + length))
            {
                throw new InvalidDataException("A spilled run file ends inside a record.");
            }

            at = _start + 5;
            _start += 5 + length;
            sequence = (long)ReadVarint(ref at);
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(at));
            at += 8;
            var offset = TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(_buffer.AsSpan(at)));
            at += 2;
            var type = (EventType)_buffer[at++];
            var fields = (Fields)BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(at));
            at += 2;
            var id = ReadString(ref at);
            var group = ReadString(ref at);
            var member = ReadString(ref at);
            var channel = (fields & Fields.Channel) != 0 ? ReadString(ref at) : null;
            MemberRole? role = (fields & Fields.Role) != 0 ? (MemberRole)_buffer[at++] : null;
            var by = (fields & Fields.By) != 0 ? ReadString(ref at) : null;
            var task = (fields & Fields.Task) != 0 ? ReadString(ref at) : null;
            long? amount = (fields & Fields.Amount) != 0 ? (long)ReadVarint(ref at) : null;
            var currency = (fields & Fields.Currency) != 0 ? ReadString(ref at) : null;
            var nickname = (fields & Fields.Nickname) != 0 ? ReadString(ref at) : null;
            ChannelAttribution? attribution = (fields & Fields.Attribution) != 0 ? (ChannelAttribution)_buffer[at++] : null;
            var scene = (fields & Fields.Scene) != 0 ? ReadString(ref at) : null;
            var coupon = (fields & Fields.CouponCode) != 0 ? ReadString(ref at) : null;
            var when = new DateTimeOffset(ticks + offset.Ticks, offset);
            e = new CommunityEvent(id, type, group, member, when, channel, role, by, task, amount, currency, nickname, attribution, scene);
            if (coupon is not null)
            {
                e = e with { CouponCode = coupon };
            }

            return true;
        }

        public void Dispose() => _file.Dispose();

        /// <summary>Makes sure <paramref name="bytes"/> bytes from <see cref="_start"/> are in the buffer; false at the end of the file.</summary>
        private bool Fill(int bytes)
        {
            if (_end - _start >= bytes)
            {
                return true;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_buffer.Length < bytes)
            {
                Array.Resize(ref _buffer, Math.Max(bytes, _buffer.Length * 2));
            }

            while (!_eof && _end < bytes)
            {
                var read = _file.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    _eof = true;
                }

                _end += read;
            }

            return _end - _start >= bytes;
        }

        private ulong ReadVarint(ref int at)
        {
            ulong value = 0;
            var shift = 0;
            while (true)
            {
                var b = _buffer[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }

                shift += 7;
            }
        }

        private string ReadString(ref int at)
        {
            var head = (int)ReadVarint(ref at);
            var count = head >> 1;
            if ((head & 1) == 0)
            {
                var s = Encoding.UTF8.GetString(_buffer, at, count);
                at += count;
                return s;
            }

            var chars = MemoryMarshal.Cast<byte, char>(_buffer.AsSpan(at, count * 2));
            at += count * 2;
            return new string(chars);
        }
    }
}
