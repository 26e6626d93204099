using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace CommunityFunnel.Events;

/// <summary>
/// A small direct-mapped cache from UTF-8 bytes to strings, for the low-cardinality fields of an event log
/// (group, channel, task, currency, reviewer): repeated values share one string instead of a new one a line.
/// A miss simply allocates; memory is bounded by the slot count.
/// </summary>
internal sealed class Utf8StringPool
{
    private const int Slots = 1024;
    private const int MaxPooledLength = 64;
    private readonly Entry[] _entries = new Entry[Slots];

    /// <summary>The string value of the current JSON string token, pooled when short and unescaped.</summary>
    public string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxPooledLength)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        var slot = (int)(Hash(bytes) & (Slots - 1));
        var entry = _entries[slot];
        if (entry is not null && bytes.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(bytes);
        _entries[slot] = new Entry(bytes.ToArray(), value);
        return value;
    }

    /// <summary>
    /// A cheap mix of the length and the first and last eight bytes (at most 64 bytes are pooled): values that differ
    /// only in the middle share a slot and take turns, which costs an allocation, never a wrong string.
    /// </summary>
    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        unchecked
        {
            ulong head, tail;
            if (bytes.Length >= 8)
            {
                head = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                tail = BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]);
            }
            else
            {
                Span<byte> padded = stackalloc byte[8];
                padded.Clear();
                bytes.CopyTo(padded);
                head = BinaryPrimitives.ReadUInt64LittleEndian(padded);
                tail = 0;
            }

            var h = ((head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL)) + (ulong)bytes.Length;
            return (uint)(h >> 32) ^ (uint)h;
        }
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
