using System.Numerics;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// A set of strings kept as keyed 128-bit fingerprints in one open-addressing array (16 bytes a slot, no
/// per-entry object): used wherever event ids are remembered to ignore and count duplicates (the event log reader, the activation engine).
/// </summary>
/// <remarks>
/// The table is kept at most two thirds full (linear probing slows down quickly beyond that), so it takes 24 to 48
/// bytes per string, doubling when it fills up.
/// </remarks>
internal sealed class FingerprintSet
{
    private readonly ulong _k0;
    private readonly ulong _k1;
    private (ulong Hi, ulong Lo)[] _slots;
    private int _mask;

    /// <summary>An empty set with room for <paramref name="expectedCount"/> strings before it grows.</summary>
    public FingerprintSet(int expectedCount = 682)
    {
        (_k0, _k1) = FingerprintTable.NewKey();
        var capacity = Math.Max(16, SlotsFor(expectedCount));
        _slots = FreshPages.Allocate<(ulong, ulong)>(capacity);
        _mask = capacity - 1;
    }

    /// <summary>An <see cref="AddRun"/> visits the table in 2^12 regions (64 KB each at 16M slots).</summary>
    private const int RunRegionBits = 12;

    /// <summary>How many probes ahead <see cref="AddRun"/> asks for a slot's cache line.</summary>
    private const int PrefetchDistance = 16;

    private int[]? _runStarts;
    private int[]? _runOrder;

    public int Count { get; private set; }

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
        var slots = _slots;
        var i = (int)(lo & (ulong)_mask);
        while (slots[i].Lo != 0)
        {
            if (slots[i].Lo == lo && slots[i].Hi == hi)
            {
                return false;
            }

            i = (i + 1) & _mask;
        }

        if ((Count + 1) * 3L > slots.Length * 2L)
        {
            Grow();
            Insert(_slots, _mask, hi, lo);
        }
        else
        {
            slots[i] = (hi, lo);
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
        var slotBits = BitOperations.Log2((uint)_slots.Length);
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
        var slots = _slots;
        for (var k = 0; k < sorted.Length; k++)
        {
            if (k + PrefetchDistance < sorted.Length)
            {
                Prefetch.Read(ref slots[(int)(prints[sorted[k + PrefetchDistance]].Lo & mask)]);
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

    private static void Insert((ulong Hi, ulong Lo)[] slots, int mask, ulong hi, ulong lo)
    {
        var i = (int)(lo & (ulong)mask);
        while (slots[i].Lo != 0)
        {
            i = (i + 1) & mask;
        }

        slots[i] = (hi, lo);
    }

    /// <summary>Makes room for <paramref name="count"/> strings in all, so that adding up to that many rebuilds nothing.</summary>
    public void EnsureCapacity(int count)
    {
        var slots = SlotsFor(count);
        if (slots > _slots.Length)
        {
            Resize(slots);
        }
    }

    /// <summary>The table length that holds <paramref name="count"/> strings at most two thirds full.</summary>
    private static int SlotsFor(int count) =>
        (int)BitOperations.RoundUpToPowerOf2((ulong)(Math.Clamp((long)count, 0, 1L << 28) * 3 / 2) + 1);

    private void Grow() => Resize(checked(_slots.Length * 2));

    private void Resize(int length)
    {
        var bigger = FreshPages.Allocate<(ulong Hi, ulong Lo)>(length);
        var mask = bigger.Length - 1;
        foreach (var (hi, lo) in _slots)
        {
            if (lo != 0)
            {
                Insert(bigger, mask, hi, lo);
            }
        }

        _slots = bigger;
        _mask = mask;
    }
}
