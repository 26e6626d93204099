using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// An open-addressing hash table from keyed 128-bit string fingerprints to ints, for the hot paths of the engines:
/// one probe sequence in one array, no per-entry objects, no string kept or compared. The fingerprint is a keyed
/// PRF, SipHash-2-4-128 (<see cref="SipHash128"/>), under a random key per table that never leaves the process, with
/// 127 bits kept: for n distinct strings the probability that any two share a fingerprint is at most n²/2^128
/// (2.9 × 10^-21 for 10^9 strings), whoever chooses the strings, since they cannot see the key. Strings that only
/// share a bucket (the low bits) are told apart by the whole fingerprint (linear probing).
/// </summary>
internal sealed class FingerprintTable
{
    private readonly ulong _k0;
    private readonly ulong _k1;
    private Slot[] _slots;
    private int _mask;

    public FingerprintTable(int initialCapacity = 1024)
    {
        (_k0, _k1) = NewKey();
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, initialCapacity));
        _slots = FreshPages.Allocate<Slot>(capacity);
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    /// <summary>A copy with the same key and entries (adding to one does not change the other).</summary>
    public FingerprintTable Clone() => new(this);

    private FingerprintTable(FingerprintTable source)
    {
        _k0 = source._k0;
        _k1 = source._k1;
        _slots = (Slot[])source._slots.Clone();
        _mask = source._mask;
        Count = source.Count;
    }

    /// <summary>The value stored for (<paramref name="prefix"/>, <paramref name="text"/>), or -1 when there is none (nothing is added).</summary>
    public int Find(ulong prefix, string text)
    {
        var (hi, lo) = Fingerprint(prefix, text);
        return Find(hi, lo);
    }

    /// <summary>The value stored for (<paramref name="prefix"/>, <paramref name="text"/>), or adds <paramref name="valueIfNew"/>.</summary>
    public int GetOrAdd(ulong prefix, string text, int valueIfNew, out bool added)
    {
        var (hi, lo) = Fingerprint(prefix, text);
        return GetOrAdd(hi, lo, valueIfNew, out added);
    }

    /// <summary>
    /// The value in the slot where the probe for the fingerprint starts when that slot holds it, else -1. It reads
    /// one slot and changes nothing: callers use it to touch a run of entries (and what they point to) before
    /// applying them, so that the cache misses overlap; a miss here only means no head start.
    /// </summary>
    public int Peek(ulong hi, ulong lo)
    {
        ref readonly var slot = ref _slots[(int)(lo & (ulong)_mask)];
        return slot.Lo == lo && slot.Hi == hi ? (int)slot.Value : -1;
    }

    /// <summary>Hints that the slot where the probe for the fingerprint starts will be read soon (see <see cref="Fingerprints.Prefetch"/>).</summary>
    public void Prefetch(ulong hi, ulong lo) => Fingerprints.Prefetch.Read(ref _slots[(int)(lo & (ulong)_mask)]);

    /// <summary>
    /// The fingerprint this table stores for <paramref name="text"/> with prefix 0 (the same as for the string with
    /// these characters), for <see cref="Find(ulong, ulong)"/> and <see cref="GetOrAdd(ulong, ulong, int, out bool)"/>;
    /// it can be computed outside any lock the table is behind.
    /// </summary>
    public (ulong Hi, ulong Lo) Fingerprint(ReadOnlySpan<char> text) => Compute(_k0, _k1, 0, text);

    /// <summary>The value stored for the fingerprint (<paramref name="hi"/>, <paramref name="lo"/>), or -1 when there is none.</summary>
    public int Find(ulong hi, ulong lo)
    {
        ref var slot = ref Probe(hi, lo);
        return slot.Lo == 0 ? -1 : (int)slot.Value;
    }

    /// <summary>
    /// The value stored for the fingerprint as a reference (valid until the next add), or a null reference when
    /// there is none: for tables that keep a long per key (counters) in the slot itself.
    /// </summary>
    public ref long FindRef(ulong hi, ulong lo)
    {
        ref var slot = ref Probe(hi, lo);
        if (slot.Lo == 0)
        {
            return ref Unsafe.NullRef<long>();
        }

        return ref slot.Value;
    }

    /// <summary>The value stored for the fingerprint as a reference (valid until the next add), added as 0 when new.</summary>
    public ref long GetOrAddRef(ulong hi, ulong lo) => ref GetOrAddSlot(hi, lo, 0, out _).Value;

    /// <summary>The value stored for the fingerprint (<paramref name="hi"/>, <paramref name="lo"/>), or adds <paramref name="valueIfNew"/>.</summary>
    public int GetOrAdd(ulong hi, ulong lo, int valueIfNew, out bool added) => (int)GetOrAddSlot(hi, lo, valueIfNew, out added).Value;

    private ref Slot GetOrAddSlot(ulong hi, ulong lo, long valueIfNew, out bool added)
    {
        ref var slot = ref Probe(hi, lo);
        added = slot.Lo == 0;
        if (!added)
        {
            return ref slot;
        }

        if ((Count + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
            slot = ref Probe(hi, lo);
        }

        slot.Hi = hi;
        slot.Lo = lo;
        slot.Value = valueIfNew;
        Count++;
        return ref slot;
    }

    /// <summary>The slot holding the fingerprint, or the empty slot where it would go.</summary>
    private ref Slot Probe(ulong hi, ulong lo)
    {
        var slots = _slots;
        var i = (int)(lo & (ulong)_mask);
        while (true)
        {
            ref var slot = ref slots[i];
            if (slot.Lo == 0 || (slot.Lo == lo && slot.Hi == hi))
            {
                return ref slot;
            }

            i = (i + 1) & _mask;
        }
    }

    private static void Insert(Slot[] slots, int mask, ulong hi, ulong lo, long value)
    {
        var i = (int)(lo & (ulong)mask);
        while (slots[i].Lo != 0)
        {
            i = (i + 1) & mask;
        }

        slots[i] = new Slot { Hi = hi, Lo = lo, Value = value };
    }

    private void Grow()
    {
        var bigger = FreshPages.Allocate<Slot>(checked(_slots.Length * 2));
        var mask = bigger.Length - 1;
        foreach (ref readonly var slot in _slots.AsSpan())
        {
            if (slot.Lo != 0)
            {
                Insert(bigger, mask, slot.Hi, slot.Lo, slot.Value);
            }
        }

        _slots = bigger;
        _mask = mask;
    }

    /// <summary>The fingerprint this table stores for (<paramref name="prefix"/>, <paramref name="text"/>); the low half is never 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (ulong Hi, ulong Lo) Fingerprint(ulong prefix, string text) => Compute(_k0, _k1, prefix, text);

    /// <summary>A fresh random key for <see cref="Compute(ulong, ulong, ulong, ReadOnlySpan{char})"/>: per table, so that no input can be crafted to collide.</summary>
    internal static (ulong K0, ulong K1) NewKey()
    {
        Span<byte> key = stackalloc byte[16];
        RandomNumberGenerator.Fill(key);
        return (BinaryPrimitives.ReadUInt64LittleEndian(key), BinaryPrimitives.ReadUInt64LittleEndian(key[8..]));
    }

    /// <summary>The keyed 128-bit fingerprint of (<paramref name="prefix"/>, <paramref name="text"/>); the low half is never 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (ulong Hi, ulong Lo) Compute(ulong k0, ulong k1, ulong prefix, string text) => Compute(k0, k1, prefix, text.AsSpan());

    /// <summary>
    /// As <see cref="Compute(ulong, ulong, ulong, string)"/> for the characters of <paramref name="text"/>: SipHash-2-4-128
    /// (<see cref="SipHash128"/>) of the prefix and the text, the low half's lowest bit set (so 127 bits decide).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (ulong Hi, ulong Lo) Compute(ulong k0, ulong k1, ulong prefix, ReadOnlySpan<char> text)
    {
        var (hi, lo) = SipHash128.Hash(k0, k1, prefix, text);
        return (hi, lo | 1); // 0 marks an empty slot.
    }

    private struct Slot
    {
        public ulong Hi;
        public ulong Lo;
        /// <summary>An int for most tables; a long for those used through <see cref="GetOrAddRef"/> (same 24-byte slot either way).</summary>
        public long Value;
    }
}
