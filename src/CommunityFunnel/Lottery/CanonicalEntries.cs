using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace CommunityFunnel.Lottery;

/// <summary>
/// Entries validated, encoded once to UTF-8 into one buffer, and sorted in canonical order (section 1: unsigned
/// byte order of the UTF-8 ids) without a per-entry allocation.
/// </summary>
internal sealed class CanonicalEntries
{
    public const int MaxIdBytes = 256;
    public const long MaxWeight = uint.MaxValue;
    public const long MaxTotalWeight = (1L << 53) - 1;

    /// <summary>From this many entries on, the two halves are sorted in parallel and merged.</summary>
    internal const int ParallelSortThreshold = 1 << 15;

    private CanonicalEntries(byte[] utf8, int[] offsets, int[] order, long totalWeight)
    {
        Utf8 = utf8;
        Offsets = offsets;
        Order = order;
        TotalWeight = totalWeight;
    }

    /// <summary>All ids' UTF-8 bytes, in input order.</summary>
    public byte[] Utf8 { get; }

    /// <summary>Where input entry <c>i</c>'s id starts in <see cref="Utf8"/>; <c>n + 1</c> items.</summary>
    public int[] Offsets { get; }

    /// <summary>Canonical position to input index.</summary>
    public int[] Order { get; }

    public long TotalWeight { get; }

    public int Count => Order.Length;

    public ReadOnlySpan<byte> IdBytes(int inputIndex) =>
        Utf8.AsSpan(Offsets[inputIndex], Offsets[inputIndex + 1] - Offsets[inputIndex]);

    /// <summary>Validates entries (section "Inputs") and sorts them; throws <see cref="FairDrawInputException"/> naming the rule.</summary>
    public static CanonicalEntries Prepare(IReadOnlyList<DrawEntry>? entries)
    {
        if (entries is null || entries.Count == 0)
        {
            throw new FairDrawInputException("entries", "at least one entry", "the draw has no entries");
        }

        var n = entries.Count;
        var parallel = n >= ParallelSortThreshold && Environment.ProcessorCount > 1;
        var middle = parallel ? n / 2 : n;
        long middleByteCount = 0;
        long byteCount = 0;
        long totalWeight = 0;
        for (var i = 0; i < n; i++)
        {
            var entry = entries[i];
            if (i == middle)
            {
                middleByteCount = byteCount;
            }

            if (string.IsNullOrEmpty(entry.Id))
            {
                throw new FairDrawInputException($"entries[{i}].id", "id is non-empty", "the id is empty");
            }

            if (entry.Weight < 1 || entry.Weight > MaxWeight)
            {
                throw new FairDrawInputException(
                    $"entries[{i}].weight", "1 <= weight <= 4294967295", $"weight {entry.Weight} of entry '{Hex.Shorten(entry.Id)}' is out of range");
            }

            totalWeight = checked(totalWeight + entry.Weight);
            if (totalWeight > MaxTotalWeight)
            {
                throw new FairDrawInputException(
                    "entries", "sum of weights <= 2^53 - 1", $"the total weight exceeds 2^53 - 1 at entries[{i}]");
            }

            byteCount += Encoding.UTF8.GetByteCount(entry.Id);
        }

        if (byteCount > Array.MaxLength)
        {
            throw new FairDrawInputException("entries", "ids fit in memory", $"the ids take {byteCount} bytes");
        }

        // Encoding and key building run on both halves in parallel (the second half starts at the first half's
        // byte count); an error is reported for the first failing entry in input order, as sequentially.
        var utf8 = new byte[byteCount];
        var offsets = new int[n + 1];
        var keys = new SortKey[n];
        int failed;
        if (parallel)
        {
            var failedLeft = -1;
            var failedRight = -1;
            Parallel.Invoke(
                () => failedLeft = Encode(entries, utf8, offsets, keys, 0, middle, 0),
                () => failedRight = Encode(entries, utf8, offsets, keys, middle, n, (int)middleByteCount));
            failed = failedLeft >= 0 ? failedLeft : failedRight;
        }
        else
        {
            failed = Encode(entries, utf8, offsets, keys, 0, n, 0);
        }

        if (failed >= 0)
        {
            throw EncodingError(entries[failed].Id, failed);
        }

        offsets[n] = (int)byteCount;

        var comparer = new SortKeyComparer(utf8, offsets);
        var order = new int[n];
        if (parallel)
        {
            // Two halves sorted on two cores, then merged straight into the order.
            Parallel.Invoke(
                () => keys.AsSpan(0, middle).Sort(comparer),
                () => keys.AsSpan(middle).Sort(comparer));
            Merge(keys, middle, order, comparer, entries);
        }
        else
        {
            keys.AsSpan().Sort(comparer);
            for (var i = 0; i < n; i++)
            {
                order[i] = keys[i].Index;
                if (i > 0 && comparer.Compare(keys[i - 1], keys[i]) == 0)
                {
                    throw Duplicate(entries, keys[i - 1].Index, keys[i].Index);
                }
            }
        }

        return new CanonicalEntries(utf8, offsets, order, totalWeight);
    }

    /// <summary>Writes entry <paramref name="inputIndex"/>'s RFC 6962 leaf input <c>0x00 || leafData</c>; returns its length.</summary>
    public int WriteLeafInput(int inputIndex, long weight, Span<byte> buffer)
    {
        var id = IdBytes(inputIndex);
        buffer[0] = 0x00;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[1..], (ushort)id.Length);
        id.CopyTo(buffer[3..]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[(3 + id.Length)..], (uint)weight);
        return 3 + id.Length + 4;
    }

    /// <summary>
    /// Encodes the ids of entries [start, end) from byte <paramref name="position"/> on, sets their offsets and sort
    /// keys (the first 12 bytes, zero-padded, big-endian, in 16-byte keys); returns the first entry that is not valid, or -1.
    /// </summary>
    private static int Encode(IReadOnlyList<DrawEntry> entries, byte[] utf8, int[] offsets, SortKey[] keys, int start, int end, int position)
    {
        Span<byte> pad = stackalloc byte[12];
        for (var i = start; i < end; i++)
        {
            var status = System.Text.Unicode.Utf8.FromUtf16(
                entries[i].Id, utf8.AsSpan(position), out _, out var written, replaceInvalidSequences: false, isFinalBlock: true);
            if (status != OperationStatus.Done || written > MaxIdBytes)
            {
                return i;
            }

            var bytes = utf8.AsSpan(position, written);
            ulong high;
            uint low;
            if (written >= 12)
            {
                high = BinaryPrimitives.ReadUInt64BigEndian(bytes);
                low = BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]);
            }
            else
            {
                pad.Clear();
                bytes.CopyTo(pad);
                high = BinaryPrimitives.ReadUInt64BigEndian(pad);
                low = BinaryPrimitives.ReadUInt32BigEndian(pad[8..]);
            }

            keys[i] = new SortKey(high, low, i);
            offsets[i] = position;
            position += written;
        }

        return -1;
    }

    /// <summary>The error for an id that <see cref="Encode"/> rejected: a lone surrogate, or more than 256 UTF-8 bytes.</summary>
    private static FairDrawInputException EncodingError(string id, int index)
    {
        var buffer = new byte[Encoding.UTF8.GetMaxByteCount(id.Length)];
        var status = System.Text.Unicode.Utf8.FromUtf16(id, buffer, out _, out var written, replaceInvalidSequences: false, isFinalBlock: true);
        return status != OperationStatus.Done
            ? new FairDrawInputException($"entries[{index}].id", "ids are valid Unicode", $"the id '{Hex.Shorten(id)}' contains a lone surrogate")
            : new FairDrawInputException($"entries[{index}].id", "id is at most 256 UTF-8 bytes", $"the id '{Hex.Shorten(id)}' is {written} UTF-8 bytes");
    }

    /// <summary>Merges the sorted runs <c>keys[..middle]</c> and <c>keys[middle..]</c> into <paramref name="order"/>; throws on a duplicate id.</summary>
    private static void Merge(SortKey[] keys, int middle, int[] order, SortKeyComparer comparer, IReadOnlyList<DrawEntry> entries)
    {
        var left = 0;
        var right = middle;
        var n = keys.Length;
        SortKey previous = default;
        for (var i = 0; i < n; i++)
        {
            SortKey next;
            if (right >= n || (left < middle && comparer.Compare(keys[left], keys[right]) <= 0))
            {
                next = keys[left++];
            }
            else
            {
                next = keys[right++];
            }

            if (i > 0 && comparer.Compare(previous, next) == 0)
            {
                throw Duplicate(entries, previous.Index, next.Index);
            }

            order[i] = next.Index;
            previous = next;
        }
    }

    private static FairDrawInputException Duplicate(IReadOnlyList<DrawEntry> entries, int a, int b)
    {
        var first = Math.Min(a, b);
        var second = Math.Max(a, b);
        return new FairDrawInputException(
            "entries", "ids are unique", $"the id '{Hex.Shorten(entries[second].Id)}' appears more than once (entries[{first}] and entries[{second}])");
    }

    private readonly record struct SortKey(ulong High, uint Low, int Index);

    private readonly struct SortKeyComparer(byte[] utf8, int[] offsets) : IComparer<SortKey>
    {
        public int Compare(SortKey x, SortKey y)
        {
            if (x.High != y.High)
            {
                return x.High < y.High ? -1 : 1;
            }

            if (x.Low != y.Low)
            {
                return x.Low < y.Low ? -1 : 1;
            }

            var a = utf8.AsSpan(offsets[x.Index], offsets[x.Index + 1] - offsets[x.Index]);
            var b = utf8.AsSpan(offsets[y.Index], offsets[y.Index + 1] - offsets[y.Index]);
            return a.SequenceCompareTo(b);
        }
    }
}
