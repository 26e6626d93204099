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

    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        unchecked
        {
            var h = 2166136261u;
            foreach (var b in bytes)
            {
                h = (h ^ b) * 16777619u;
            }

            return h ^ (h >> 15);
        }
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
