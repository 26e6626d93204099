using System.Numerics;
using System.Runtime.InteropServices;
using CommunityFunnel.Events;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// Finds, in a list of events held in memory, every event whose id an earlier event of the list already had: the
/// same answer as adding the ids one by one to a <see cref="FingerprintSet"/>, without its random accesses.
/// </summary>
/// <remarks>
/// The ids' fingerprints are scattered by their top bits into buckets small enough for a bucket's table to stay in
/// the cache (8 000 to 16 000 ids each), appending in list order; then each bucket is checked on its own, in list
/// order, so the first event with an id wins as in the one-by-one rule. Every memory access is a sequential read
/// or append, or a hit in a cache-sized table. Both passes run on up to <see cref="Environment.ProcessorCount"/>
/// threads: the first over slices of the list, the second over buckets (a bucket's entries are its slices' in
/// slice order, so list order holds). Temporary memory: 20 bytes an event (a little more with the buckets' slack) plus a flag.
/// </remarks>
internal static class DuplicateIdMarker
{
    /// <summary>Below this many events the plain set's table is small enough to stay in the cache; this would only allocate more.</summary>
    public const int MinEvents = 1 << 16;

    private const int EventsPerBucket = 1 << 14;
    private const int MaxBuckets = 1 << 12;

    /// <summary>A source of the events; called on each worker thread (a span cannot be captured).</summary>
    public delegate ReadOnlySpan<CommunityEvent> EventSpan();

    /// <summary>Marks <c>duplicate[i]</c> for every event whose id an earlier one had; returns how many.</summary>
    public static int Mark(EventSpan events, bool[] duplicate, int maxThreads)
    {
        var count = duplicate.Length;
        var (k0, k1) = FingerprintTable.NewKey();
        var bucketBits = Math.Clamp(Log2Ceiling(count / EventsPerBucket), 0, Log2Ceiling(MaxBuckets));
        var buckets = 1 << bucketBits;
        var slices = Math.Clamp(maxThreads, 1, Math.Max(1, count / MinEvents));
        var scattered = new Bucket[slices][];
        Parallel.For(0, slices, new ParallelOptions { MaxDegreeOfParallelism = slices }, s =>
        {
            var all = events();
            var from = (int)((long)count * s / slices);
            var to = (int)((long)count * (s + 1) / slices);
            scattered[s] = Scatter(all[from..to], from, k0, k1, bucketBits);
        });

        var duplicates = 0;
        Parallel.For(
            0,
            buckets,
            new ParallelOptions { MaxDegreeOfParallelism = slices },
            () => new Checker(),
            (b, _, checker) => checker.Check(scattered, b, duplicate),
            checker => Interlocked.Add(ref duplicates, checker.Duplicates));
        return duplicates;
    }

    private static int Log2Ceiling(int value) => value <= 1 ? 0 : BitOperations.Log2((uint)(value - 1)) + 1;

    private static Bucket[] Scatter(ReadOnlySpan<CommunityEvent> events, int first, ulong k0, ulong k1, int bucketBits)
    {
        var buckets = new Bucket[1 << bucketBits];
        var expected = (events.Length >> bucketBits) + (4 * (int)Math.Sqrt(events.Length >> bucketBits)) + 16;
        for (var b = 0; b < buckets.Length; b++)
        {
            buckets[b] = new Bucket(expected);
        }

        for (var i = 0; i < events.Length; i++)
        {
            var (hi, lo) = FingerprintTable.Compute(k0, k1, 0, events[i].Id);
            buckets[bucketBits == 0 ? 0 : (int)(lo >> (64 - bucketBits))].Add(new Entry(hi, lo, first + i));
        }

        return buckets;
    }

    /// <summary>One thread's table for checking buckets one after another (reused, cleared between buckets).</summary>
    private sealed class Checker
    {
        private (ulong Hi, ulong Lo)[] _slots = new (ulong, ulong)[1024];

        public int Duplicates { get; private set; }

        public Checker Check(Bucket[][] scattered, int bucket, bool[] duplicate)
        {
            var total = 0;
            foreach (var slice in scattered)
            {
                total += slice[bucket].Count;
            }

            var length = (int)BitOperations.RoundUpToPowerOf2((uint)((total * 2) + 16));
            if (length > _slots.Length)
            {
                _slots = new (ulong, ulong)[length];
            }

            var slots = _slots.AsSpan(0, length);
            slots.Clear();
            var mask = length - 1;
            foreach (var slice in scattered)
            {
                foreach (ref readonly var entry in slice[bucket].Entries)
                {
                    // The bucket used the top bits of Lo; Hi is as random and independent of them.
                    var i = (int)(entry.Hi & (ulong)mask);
                    while (true)
                    {
                        ref var slot = ref slots[i];
                        if (slot.Lo == 0)
                        {
                            slot = (entry.Hi, entry.Lo);
                            break;
                        }

                        if (slot.Lo == entry.Lo && slot.Hi == entry.Hi)
                        {
                            duplicate[entry.Index] = true;
                            Duplicates++;
                            break;
                        }

                        i = (i + 1) & mask;
                    }
                }
            }

            return this;
        }
    }

    /// <summary>A growable array of entries (sized for its expected share, so growing is rare).</summary>
    private sealed class Bucket(int capacity)
    {
        private Entry[] _entries = new Entry[capacity];

        public int Count { get; private set; }

        public ReadOnlySpan<Entry> Entries => _entries.AsSpan(0, Count);

        public void Add(in Entry entry)
        {
            if (Count == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length * 2);
            }

            _entries[Count++] = entry;
        }
    }

    /// <summary>An id's fingerprint and the position of its event: 20 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private readonly record struct Entry(ulong Hi, ulong Lo, int Index);
}
