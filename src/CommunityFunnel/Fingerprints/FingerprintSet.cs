using System.Buffers.Binary;
using System.Numerics;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// A set of strings kept as keyed 128-bit fingerprints (16 bytes and a 1-byte tag a slot, no per-entry object):
/// used wherever event ids are remembered to ignore and count duplicates (the event log reader, the activation engine).
/// </summary>
/// <remarks>
/// <para>
/// A large set is far bigger than the caches, so each lookup misses. What made that slow was less the miss itself
/// (independent random reads of a 256 MB array run at about 12 ns each on the 2-core test machine) than a probe
/// loop whose every step is a branch on the value just loaded, mispredicted about half the time, followed by a
/// random write: about 230 ns an id at 10M ids. With the two measures below it is about 120 ns (same machine,
/// same run; the young table gave most of it, the tags the rest):
/// </para>
/// <list type="bullet">
/// <item>
/// Each slot has a 1-byte tag in a separate array (1/17 of the size). A lookup reads the 8 tags where its probe
/// starts as one word and decides with bit tricks, in one branch that is almost always taken the same way, that the
/// fingerprint is not there; the slots are read only when a tag matches (a few times in a hundred) or the 8 tags are
/// all taken. The processor can then run ahead into the next events while the miss is outstanding.
/// </item>
/// <item>
/// New fingerprints go to a small <i>young</i> table (at most 2 MB) first; when it is three quarters full its
/// entries are merged into the main table in slot order. Both tables are indexed by the <i>high</i> bits of the
/// fingerprint, so walking the young table in order visits main slots in increasing order: the merge is a sweep
/// instead of one random write per id, and so is growing the main table.
/// </item>
/// </list>
/// </remarks>
internal sealed class FingerprintSet
{
    private const int MinYoungSlots = 1 << 8;
    private const int MaxYoungSlots = 1 << 17;

    private readonly ulong _k0;
    private readonly ulong _k1;
    private readonly int _maxYoungSlots;
    private Table _main = null!;
    private Table _young = null!;
    private int _youngLimit;

    public FingerprintSet(int initialCapacity = 1024)
        : this(initialCapacity, MaxYoungSlots)
    {
    }

    /// <summary>As the public constructor; <paramref name="maxYoungSlots"/> (a power of 2) lets tests merge often.</summary>
    internal FingerprintSet(int initialCapacity, int maxYoungSlots)
    {
        if (maxYoungSlots < 4 || !BitOperations.IsPow2(maxYoungSlots))
        {
            throw new ArgumentOutOfRangeException(nameof(maxYoungSlots), maxYoungSlots, "A power of 2, at least 4.");
        }

        (_k0, _k1) = FingerprintTable.NewKey();
        _maxYoungSlots = maxYoungSlots;
        SetMain((long)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, initialCapacity)));
    }

    public int Count => _main.Count + _young.Count;

    /// <summary>Adds <paramref name="text"/>; <see langword="false"/> when it was there already.</summary>
    public bool Add(string text)
    {
        var (hi, lo) = FingerprintTable.Compute(_k0, _k1, 0, text);
        return Add(hi, lo);
    }

    /// <summary>The fingerprint <see cref="Add(string)"/> stores for <paramref name="text"/>; the low half is never 0.</summary>
    public (ulong Hi, ulong Lo) Fingerprint(string text) => FingerprintTable.Compute(_k0, _k1, 0, text);

    /// <summary>
    /// Reads the main-table tags where the probe for <paramref name="lo"/> starts, so that a caller touching a run of
    /// fingerprints before adding them overlaps their cache misses; the value read means nothing.
    /// </summary>
    public ulong Touch(ulong lo) => _main.Tags[_main.Home(lo)];

    /// <summary>As <see cref="Add(string)"/> with the fingerprint from <see cref="Fingerprint(string)"/>.</summary>
    public bool Add(ulong hi, ulong lo)
    {
        var tag = Tag(hi);
        var at = _young.Find(hi, lo, tag);
        if (at < 0 || _main.Contains(hi, lo, tag))
        {
            return false;
        }

        _young.InsertAt(at, hi, lo, tag);
        if (_young.Count == _youngLimit)
        {
            Merge();
        }

        return true;
    }

    /// <summary>Makes room for <paramref name="count"/> strings in all, so that adding up to that many rebuilds nothing.</summary>
    public void EnsureCapacity(int count)
    {
        var needed = SlotsFor(Math.Clamp(count, 0, 1 << 28));
        if (needed > _main.Length)
        {
            Resize(needed);
        }
    }

    /// <summary>The power of 2 of slots that holds <paramref name="count"/> entries at most 3/4 full.</summary>
    private static long SlotsFor(long count) => (long)BitOperations.RoundUpToPowerOf2((ulong)((count * 4 / 3) + 1));

    /// <summary>A slot's tag: 8 bits of the fingerprint that the index does not use, never 0 (0 marks an empty slot).</summary>
    private static byte Tag(ulong hi) => (byte)Math.Max(1UL, hi >> 56);

    /// <summary>Moves the young entries into the main table (growing it first if they would make it over 3/4 full).</summary>
    private void Merge()
    {
        if (Count * 4L > _main.Length * 3L)
        {
            Resize(_main.Length * 2L); // merges the young entries too
            return;
        }

        // In young slot order the main positions increase (both are the high bits of Lo), so this is a sweep.
        _main.InsertAll(_young);
        _young.Clear();
    }

    /// <summary>Rebuilds the main table with at least <paramref name="length"/> slots holding every entry, young ones included.</summary>
    private void Resize(long length)
    {
        var main = _main;
        var young = _young;
        SetMain(checked((int)Math.Max(length, SlotsFor(Count))));
        _main.InsertAll(main);
        _main.InsertAll(young);
    }

    /// <summary>Empty main and young tables for <paramref name="length"/> main slots (the young one scaled to it).</summary>
    private void SetMain(long length)
    {
        _main = new Table(checked((int)length));

        // A young table of 1/64 of the main one: big enough that a merge touches each page of the main table about
        // once or more, small enough to stay in the cache.
        _young = new Table((int)Math.Clamp(length / 64, Math.Min(MinYoungSlots, _maxYoungSlots), _maxYoungSlots));
        _youngLimit = _young.Length * 3 / 4;
    }

    /// <summary>One open-addressing table (linear probing from the high bits of <c>Lo</c>) with a tag array beside the slots.</summary>
    private sealed class Table
    {
        private const ulong Ones = 0x0101010101010101UL;
        private const ulong Highs = 0x8080808080808080UL;
        private readonly int _shift;
        private readonly int _mask;

        public Table(int length)
        {
            Tags = new byte[length];
            Slots = new (ulong, ulong)[length];
            _shift = 64 - BitOperations.Log2((uint)length);
            _mask = length - 1;
        }

        public byte[] Tags { get; }

        public (ulong Hi, ulong Lo)[] Slots { get; }

        public int Length => Tags.Length;

        public int Count { get; private set; }

        public int Home(ulong lo) => (int)(lo >> _shift);

        public bool Contains(ulong hi, ulong lo, byte tag) => Find(hi, lo, tag) < 0;

        /// <summary>-1 when the fingerprint is here, else the empty slot where its probe ends (where it would go).</summary>
        public int Find(ulong hi, ulong lo, byte tag)
        {
            var tags = Tags;
            var i = Home(lo);
            if (i <= tags.Length - 8)
            {
                // The 8 tags from i as one word: if one is empty (0) and none before it equals the tag, the
                // fingerprint is not here. Exact: the lowest flagged byte of the zero-byte test is always a true zero.
                var word = BinaryPrimitives.ReadUInt64LittleEndian(tags.AsSpan(i, 8));
                var empty = ZeroBytes(word);
                if (empty != 0 && (ZeroBytes(word ^ (tag * Ones)) & (empty ^ (empty - 1))) == 0)
                {
                    return i + (BitOperations.TrailingZeroCount(empty) >> 3);
                }
            }

            while (tags[i] != 0)
            {
                if (tags[i] == tag && Slots[i].Lo == lo && Slots[i].Hi == hi)
                {
                    return -1;
                }

                i = (i + 1) & _mask;
            }

            return i;
        }

        /// <summary>Stores the fingerprint in the empty slot <paramref name="at"/> that <see cref="Find"/> returned.</summary>
        public void InsertAt(int at, ulong hi, ulong lo, byte tag)
        {
            Tags[at] = tag;
            Slots[at] = (hi, lo);
            Count++;
        }

        public void Insert(ulong hi, ulong lo, byte tag)
        {
            var i = Home(lo);
            while (Tags[i] != 0)
            {
                i = (i + 1) & _mask;
            }

            InsertAt(i, hi, lo, tag);
        }

        /// <summary>Inserts every entry of <paramref name="other"/>, in its slot order.</summary>
        public void InsertAll(Table other)
        {
            var tags = other.Tags;
            var slots = other.Slots;
            for (var i = 0; i < tags.Length; i++)
            {
                if (tags[i] != 0)
                {
                    Insert(slots[i].Hi, slots[i].Lo, tags[i]);
                }
            }
        }

        public void Clear()
        {
            Array.Clear(Tags);
            Array.Clear(Slots);
            Count = 0;
        }

        /// <summary>A word with the high bit of each zero byte of <paramref name="x"/> set (exact up to the first zero byte).</summary>
        private static ulong ZeroBytes(ulong x)
        {
            unchecked
            {
                return (x - Ones) & ~x & Highs;
            }
        }
    }
}
