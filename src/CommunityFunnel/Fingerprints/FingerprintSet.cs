using System.Numerics;
using System.Runtime.CompilerServices;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// A set of strings kept as keyed 128-bit fingerprints in one open-addressing table (16 bytes a slot, no
/// per-entry object): used wherever event ids are remembered to ignore and count duplicates (the event log reader, the activation engine).
/// </summary>
/// <remarks>
/// <para>
/// The table is kept at most two thirds full (linear probing slows down quickly beyond that), so it takes 24 to 48
/// bytes per string, doubling when it fills up.
/// </para>
/// <para>
/// A large table is held in segments of 2^20 slots (16 MB) rather than one array, so that it grows in place: the
/// new segments are appended and the entries whose home slot moved are rehashed within the table
/// (<see cref="GrowInPlace"/>). Growing then asks the system only for the memory added, not for a whole new table
/// while the old one is still held (on a virtual machine, memory fresh from the system is what growing costs most).
/// </para>
/// </remarks>
internal sealed class FingerprintSet
{
    private const int DefaultSegmentBits = 20;

    private readonly ulong _k0;
    private readonly ulong _k1;
    private readonly int _segmentBits;
    private (ulong Hi, ulong Lo)[][] _segments;
    private int _length;
    private int _mask;

    /// <summary>An empty set with room for <paramref name="expectedCount"/> strings before it grows.</summary>
    /// <param name="expectedCount">How many strings to make room for.</param>
    /// <param name="segmentBits">The log2 of the segment length (small in tests, to grow in place at small sizes).</param>
    public FingerprintSet(int expectedCount = 682, int segmentBits = DefaultSegmentBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentBits, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segmentBits, 28);
        (_k0, _k1) = FingerprintTable.NewKey();
        _segmentBits = segmentBits;
        _segments = NewSegments(Math.Max(16, SlotsFor(expectedCount)));
    }

    /// <summary>An <see cref="AddRun"/> visits the table in 2^12 regions (64 KB each at 16M slots).</summary>
    private const int RunRegionBits = 12;

    /// <summary>How many probes ahead <see cref="AddRun"/> asks for a slot's cache line.</summary>
    private const int PrefetchDistance = 16;

    private int[]? _runStarts;
    private int[]? _runOrder;

    public int Count { get; private set; }

    /// <summary>The number of slots (a power of two).</summary>
    internal int Length => _length;

    /// <summary>Adds <paramref name="text"/>; <see langword="false"/> when it was there already.</summary>
    public bool Add(string text)
    {
        var (hi, lo) = FingerprintTable.Compute(_k0, _k1, 0, text);
        return Add(hi, lo);
    }

    /// <summary>The fingerprint <see cref="Add(string)"/> stores for <paramref name="text"/>; the low half is never 0.</summary>
    public (ulong Hi, ulong Lo) Fingerprint(string text) => FingerprintTable.Compute(_k0, _k1, 0, text);

    /// <summary>As <see cref="Add(string)"/> with the fingerprint from <see cref="Fingerprint(string)"/>.</summary>
    public bool Add(ulong hi, ulong lo)
    {
        // Probe within one segment at a time (one lookup of the segment, not one a slot).
        var i = (int)(lo & (ulong)_mask);
        var segment = _segments[i >> _segmentBits];
        var offset = i & (segment.Length - 1);
        while (true)
        {
            ref var slot = ref segment[offset];
            if (slot.Lo == 0)
            {
                break;
            }

            if (slot.Lo == lo && slot.Hi == hi)
            {
                return false;
            }

            if (++offset == segment.Length)
            {
                i = ((i | (segment.Length - 1)) + 1) & _mask;
                segment = _segments[i >> _segmentBits];
                offset = 0;
            }
        }

        if ((Count + 1) * 3L > _length * 2L)
        {
            Resize(checked(_length * 2));
            Insert(hi, lo);
        }
        else
        {
            segment[offset] = (hi, lo);
        }

        Count++;
        return true;
    }

    /// <summary>
    /// Adds a run of fingerprints with exactly the result of <see cref="Add(ulong, ulong)"/> on each in order, setting
    /// <c>duplicate[i]</c> for those already present (or earlier in the run); returns how many. The table is grown for
    /// the whole run first, then the run is visited region by region of the table (a stable counting sort on the
    /// slot's top bits, so the first of two equal fingerprints is still the one added): the accesses of a large run
    /// sweep through the table instead of jumping around it, so most of them hit cache lines and pages just used.
    /// </summary>
    public int AddRun(ReadOnlySpan<(ulong Hi, ulong Lo)> prints, Span<bool> duplicate)
    {
        EnsureCapacity(checked(Count + prints.Length));
        var slotBits = BitOperations.Log2((uint)_length);
        var regionBits = Math.Min(slotBits, RunRegionBits);
        var shift = slotBits - regionBits;
        var mask = (ulong)_mask;
        var starts = _runStarts ??= new int[(1 << RunRegionBits) + 1];
        Array.Clear(starts);
        foreach (var (_, lo) in prints)
        {
            starts[(int)((lo & mask) >> shift) + 1]++;
        }

        for (var r = 1; r < starts.Length; r++)
        {
            starts[r] += starts[r - 1];
        }

        if (_runOrder is null || _runOrder.Length < prints.Length)
        {
            _runOrder = new int[prints.Length];
        }

        var order = _runOrder;
        for (var i = 0; i < prints.Length; i++)
        {
            order[starts[(int)((prints[i].Lo & mask) >> shift)]++] = i;
        }

        var duplicates = 0;
        var sorted = order.AsSpan(0, prints.Length);
        for (var k = 0; k < sorted.Length; k++)
        {
            if (k + PrefetchDistance < sorted.Length)
            {
                Prefetch.Read(ref Slot((int)(prints[sorted[k + PrefetchDistance]].Lo & mask)));
            }

            var i = sorted[k];
            if (!Add(prints[i].Hi, prints[i].Lo))
            {
                duplicate[i] = true;
                duplicates++;
            }
        }

        return duplicates;
    }

    /// <summary>The slot at <paramref name="index"/> (below <see cref="Length"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref (ulong Hi, ulong Lo) Slot(int index) =>
        ref _segments[index >> _segmentBits][index & ((1 << _segmentBits) - 1)];

    /// <summary>Puts a fingerprint known to be absent into the first free slot from its home.</summary>
    private void Insert(ulong hi, ulong lo)
    {
        var i = (int)(lo & (ulong)_mask);
        while (Slot(i).Lo != 0)
        {
            i = (i + 1) & _mask;
        }

        Slot(i) = (hi, lo);
    }

    /// <summary>Makes room for <paramref name="count"/> strings in all, so that adding up to that many rebuilds nothing.</summary>
    public void EnsureCapacity(int count)
    {
        var slots = SlotsFor(count);
        if (slots > _length)
        {
            Resize(slots);
        }
    }

    /// <summary>The table length that holds <paramref name="count"/> strings at most two thirds full.</summary>
    private static int SlotsFor(int count) =>
        (int)BitOperations.RoundUpToPowerOf2((ulong)(Math.Clamp((long)count, 0, 1L << 28) * 3 / 2) + 1);

    /// <summary>Segments for an empty table of <paramref name="length"/> slots: one array below a segment's length.</summary>
    private (ulong Hi, ulong Lo)[][] NewSegments(int length)
    {
        var segmentLength = Math.Min(length, 1 << _segmentBits);
        var segments = new (ulong Hi, ulong Lo)[length / segmentLength][];
        for (var s = 0; s < segments.Length; s++)
        {
            segments[s] = FreshPages.Allocate<(ulong Hi, ulong Lo)>(segmentLength);
        }

        _length = length;
        _mask = length - 1;
        return segments;
    }

    private void Resize(int length)
    {
        if (_length >= 1 << _segmentBits)
        {
            GrowInPlace(length);
            return;
        }

        // Below one segment: a new table (small, or the first whole segments), every entry added again.
        var old = _segments[0];
        _segments = NewSegments(length);
        foreach (var (hi, lo) in old)
        {
            if (lo != 0)
            {
                Insert(hi, lo);
            }
        }
    }

    /// <summary>
    /// Grows a table of whole segments to <paramref name="length"/> slots by appending segments and moving, within the
    /// table, the entries whose home slot changed. An entry's new home is its old home (<c>lo</c> under the old mask)
    /// plus a multiple of the old length <c>n</c>, so each appended part of <c>n</c> slots starts empty.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The old slots are visited once each, starting after the first empty one <c>e</c>: <c>e + 1 .. n - 1</c>, then
    /// <c>0 .. e - 1</c>. Each entry is taken out and put into the first free slot from its new home. For the result to
    /// be a valid table, no entry may sit beyond a slot that is emptied later on its probe path; that holds because
    /// every path crosses only slots already visited (which nothing empties again) or appended slots (which only
    /// receive entries):
    /// </para>
    /// <list type="bullet">
    /// <item>An entry that stays in the old part with its home at or before its slot <c>i</c> lands in
    /// <c>[home, i]</c>, all visited, <c>i</c> itself just emptied.</item>
    /// <item>An entry whose cluster wrapped round the old end (its slot is before its home) lies in
    /// <c>0 .. e - 1</c>, visited last: its path runs through visited slots up to <c>n - 1</c>, then into the
    /// appended part.</item>
    /// <item>An entry moved to an appended part never runs past the part's end while <c>e + 1 .. n - 1</c> is
    /// visited: of those entries, the ones whose homes are at or after offset <c>b</c> of the part sat at or after
    /// slot <c>b</c> of the old part, so there are at most <c>n - b</c> of them. Later, one that runs past a part's
    /// end goes on into the next (moved entries only) or, past the table's end, wraps round into <c>0 .. i</c>:
    /// visited slots and its own, just emptied.</item>
    /// </list>
    /// </remarks>
    private void GrowInPlace(int length)
    {
        var oldLength = _length;
        var segments = new (ulong Hi, ulong Lo)[length >> _segmentBits][];
        _segments.CopyTo(segments, 0);
        for (var s = _segments.Length; s < segments.Length; s++)
        {
            segments[s] = FreshPages.Allocate<(ulong Hi, ulong Lo)>(1 << _segmentBits);
        }

        _segments = segments;
        _length = length;
        _mask = length - 1;

        var empty = 0;
        while (Slot(empty).Lo != 0)
        {
            empty++;
        }

        for (var k = 1; k < oldLength; k++)
        {
            var i = (empty + k) & (oldLength - 1);
            ref var slot = ref Slot(i);
            var (hi, lo) = slot;
            if (lo != 0 && (int)(lo & (ulong)_mask) != i)
            {
                slot = default;
                Insert(hi, lo);
            }
        }
    }
}
