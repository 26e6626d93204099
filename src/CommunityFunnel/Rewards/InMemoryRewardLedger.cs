using System.Runtime.CompilerServices;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The default <see cref="IRewardLedger"/>: an array of compact records, a key index and counters behind one lock
/// (the "transaction"). Keys are held as keyed 128-bit fingerprints (<see cref="FingerprintTable"/>: SipHash-2-4-128, random key per
/// ledger), not strings: a collision between two of 10^9 keys has a probability below 10^-20 (n²/2^128), and it
/// could only make the ledger stricter (a grant refused as already granted, or two counters counted together),
/// never grant twice or overspend. The engine appends <see cref="CompactRewardGrant"/>s, whose entries are
/// materialised only when the entries are read.
/// </summary>
internal sealed class InMemoryRewardLedger : IRewardLedger
{
    private const string ReversedSuffix = "|reversed";

    /// <summary>Records are kept in pages of 2^<see cref="PageShift"/> (no big array copied as the ledger grows).</summary>
    private const int PageShift = 12;
    private readonly object _gate = new();
    private readonly FingerprintTable _byKey = new();
    private readonly FingerprintTable _counterIndex = new();
    private Record[][] _pages = [];
    private int _count;

    public Task<RewardAppendResult> TryAppendAsync(RewardLedgerEntry grant, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(TryAppend(grant));
    }

    public Task<RewardReverseResult> TryReverseAsync(string grantKey, DateTimeOffset at, string eventId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(TryReverse(grantKey, at, eventId));
    }

    public Task<long> GetCounterAsync(string counterKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(GetCounter(counterKey));
    }

    public Task<IReadOnlyList<RewardLedgerEntry>> GetEntriesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Snapshot());
    }

    /// <summary>As <see cref="TryAppendAsync"/>, at once: the ledger is in memory.</summary>
    internal RewardAppendResult TryAppend(RewardLedgerEntry grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.Kind != RewardEntryKind.Grant)
        {
            throw new ArgumentException("Only grants are appended with TryAppend; use TryReverse for reversals.", nameof(grant));
        }

        var counters = grant.Counters;
        var uses = counters.Count <= 16 ? stackalloc RewardCounterUse[counters.Count] : new RewardCounterUse[counters.Count];
        for (var i = 0; i < uses.Length; i++)
        {
            var c = counters[i];
            var (hi, lo) = CounterFingerprint(c.Key);
            uses[i] = new RewardCounterUse(hi, lo, c.Limit, c.Amount, c.IsBudget);
        }

        return Append(Record.Of(grant), KeyFingerprint(grant.Key), uses);
    }

    /// <summary>
    /// As <see cref="TryAppend(RewardLedgerEntry)"/> for the entry <paramref name="grant"/> materialises, whose key
    /// has the fingerprint <paramref name="key"/> (<see cref="KeyFingerprint"/>) and whose counters are
    /// <paramref name="counters"/> (fingerprinted with <see cref="CounterFingerprint"/>).
    /// </summary>
    internal RewardAppendResult TryAppend(in CompactRewardGrant grant, (ulong Hi, ulong Lo) key, ReadOnlySpan<RewardCounterUse> counters) =>
        Append(Record.Of(grant), key, counters);

    /// <summary>The fingerprint this ledger keeps for a counter key (computed outside the lock).</summary>
    internal (ulong Hi, ulong Lo) CounterFingerprint(ReadOnlySpan<char> counterKey) => _counterIndex.Fingerprint(counterKey);

    /// <summary>The fingerprint this ledger keeps for a grant's key (computed outside the lock).</summary>
    internal (ulong Hi, ulong Lo) KeyFingerprint(ReadOnlySpan<char> key) => _byKey.Fingerprint(key);

    /// <summary>
    /// Reads the index entries where appends with these key and counter fingerprints will look, changing nothing,
    /// so that a run of appends finds them in the cache (their misses overlap here instead of one per append).
    /// </summary>
    internal long Touch(ReadOnlySpan<(ulong Hi, ulong Lo)> keys, ReadOnlySpan<RewardCounterUse> counters)
    {
        var touched = 0L;
        lock (_gate)
        {
            foreach (var (hi, lo) in keys)
            {
                touched ^= _byKey.Peek(hi, lo);
            }

            foreach (ref readonly var c in counters)
            {
                touched ^= _counterIndex.Peek(c.Hi, c.Lo);
            }
        }

        return touched;
    }

    private RewardAppendResult Append(in Record record, (ulong Hi, ulong Lo) key, ReadOnlySpan<RewardCounterUse> counters)
    {
        lock (_gate)
        {
            if (_byKey.Find(key.Hi, key.Lo) >= 0)
            {
                return RewardAppendResult.AlreadyGranted;
            }

            var result = CheckCounters(counters);
            if (result != RewardAppendResult.Granted)
            {
                return result;
            }

            foreach (ref readonly var c in counters)
            {
                ref var used = ref Counter(c.Hi, c.Lo);
                used = checked(used + c.Amount);
            }

            _byKey.GetOrAdd(key.Hi, key.Lo, _count, out _);
            Add(record);
            return RewardAppendResult.Granted;
        }
    }

    /// <summary>Granted when every counter has room; a refused cap wins over an exhausted budget.</summary>
    private RewardAppendResult CheckCounters(ReadOnlySpan<RewardCounterUse> counters)
    {
        var result = RewardAppendResult.Granted;
        foreach (ref readonly var c in counters)
        {
            ref var found = ref _counterIndex.FindRef(c.Hi, c.Lo);
            var used = Unsafe.IsNullRef(ref found) ? 0 : found;
            if (used > c.Limit - c.Amount) // used + amount > limit, without overflow at the largest amounts
            {
                if (!c.IsBudget)
                {
                    return RewardAppendResult.LimitReached;
                }

                result = RewardAppendResult.BudgetExhausted;
            }
        }

        return result;
    }

    /// <summary>As <see cref="TryReverseAsync"/>, at once.</summary>
    internal RewardReverseResult TryReverse(string grantKey, DateTimeOffset at, string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantKey);
        return TryReverse(grantKey.AsSpan(), at, eventId);
    }

    /// <summary>As <see cref="TryReverse(string, DateTimeOffset, string)"/> with the grant's key as characters.</summary>
    internal RewardReverseResult TryReverse(ReadOnlySpan<char> grantKey, DateTimeOffset at, string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var length = grantKey.Length + ReversedSuffix.Length;
        var reversalKey = length <= 512 ? stackalloc char[length] : new char[length];
        grantKey.CopyTo(reversalKey);
        ReversedSuffix.CopyTo(reversalKey[grantKey.Length..]);
        var grantPrint = KeyFingerprint(grantKey);
        var reversalPrint = KeyFingerprint(reversalKey);
        lock (_gate)
        {
            var index = _byKey.Find(grantPrint.Hi, grantPrint.Lo);
            if (index < 0 || At(index).Reverses >= 0)
            {
                return RewardReverseResult.NotFound;
            }

            if (_byKey.Find(reversalPrint.Hi, reversalPrint.Lo) >= 0)
            {
                return RewardReverseResult.AlreadyReversed;
            }

            // Reversals are rare: a compact grant's counters are rebuilt from it rather than kept.
            foreach (var c in Materialise(index).Counters)
            {
                var (hi, lo) = CounterFingerprint(c.Key);
                ref var used = ref Counter(hi, lo);
                used = checked(used - c.Amount);
            }

            _byKey.GetOrAdd(reversalPrint.Hi, reversalPrint.Lo, _count, out _);
            Add(Record.Reversal(index, at, eventId));
            return RewardReverseResult.Reversed;
        }
    }

    /// <summary>As <see cref="GetCounterAsync"/>, at once.</summary>
    internal long GetCounter(string counterKey)
    {
        ArgumentNullException.ThrowIfNull(counterKey);
        var (hi, lo) = CounterFingerprint(counterKey);
        lock (_gate)
        {
            ref var found = ref _counterIndex.FindRef(hi, lo);
            return Unsafe.IsNullRef(ref found) ? 0 : found;
        }
    }

    /// <summary>As <see cref="GetEntriesAsync"/>, at once.</summary>
    internal IReadOnlyList<RewardLedgerEntry> Snapshot()
    {
        lock (_gate)
        {
            var entries = new RewardLedgerEntry[_count];
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = Materialise(i);
            }

            return entries;
        }
    }

    /// <summary>The entry of record <paramref name="index"/>: as appended, rebuilt from a compact grant, or the reversal of another record.</summary>
    private RewardLedgerEntry Materialise(int index)
    {
        ref readonly var r = ref At(index);
        if (r.Reverses >= 0)
        {
            var grant = Materialise(r.Reverses);
            return grant with
            {
                Key = grant.Key + ReversedSuffix,
                Kind = RewardEntryKind.Reversal,
                At = r.Instant,
                EventId = r.EventId,
                Reverses = grant.Key,
            };
        }

        return r.Payload is RewardLedgerEntry entry ? entry : ((IRewardGrantSource)r.Payload).Materialise(r.Grant);
    }

    /// <summary>The counter with this fingerprint (kept in the index slot itself), added at 0 when new.</summary>
    private ref long Counter(ulong hi, ulong lo) => ref _counterIndex.GetOrAddRef(hi, lo);

    private ref Record At(int index) => ref _pages[index >> PageShift][index & ((1 << PageShift) - 1)];

    private void Add(in Record record)
    {
        var page = _count >> PageShift;
        if (page == _pages.Length)
        {
            Array.Resize(ref _pages, page + 1);

            // The first page grows as needed, so that a small ledger stays small.
            _pages[page] = new Record[page == 0 ? 64 : 1 << PageShift];
        }
        else if (page == 0 && _count == _pages[0].Length)
        {
            Array.Resize(ref _pages[0], Math.Min(_count * 2, 1 << PageShift));
        }

        _pages[page][_count & ((1 << PageShift) - 1)] = record;
        _count++;
    }

    /// <summary>
    /// One entry in 48 bytes: a grant appended as an object (<see cref="Payload"/> is the entry), a compact grant
    /// (<see cref="Payload"/> is its source), or the reversal of record <see cref="Reverses"/> (-1 for grants) at
    /// <see cref="Instant"/> by event <see cref="EventId"/>.
    /// </summary>
    private readonly struct Record
    {
        public readonly object Payload;
        public readonly string Member;
        public readonly string EventId;
        private readonly long _utcTicks;
        private readonly short _offsetMinutes;
        private readonly RewardGrantUnit _unit;
        private readonly int _unitDay;
        private readonly int _grantDay;
        public readonly int Reverses;

        private Record(object payload, string member, string eventId, DateTimeOffset at, RewardGrantUnit unit, int unitDay, int grantDay, int reverses)
        {
            Payload = payload;
            Member = member;
            EventId = eventId;
            _utcTicks = at.UtcTicks;
            _offsetMinutes = checked((short)at.TotalOffsetMinutes);
            _unit = unit;
            _unitDay = unitDay;
            _grantDay = grantDay;
            Reverses = reverses;
        }

        public DateTimeOffset Instant => new DateTimeOffset(_utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(_offsetMinutes));

        public CompactRewardGrant Grant => new((IRewardGrantSource)Payload, Member, EventId, Instant, _unit, _unitDay, _grantDay);

        public static Record Of(RewardLedgerEntry grant) => new(grant, grant.Member, grant.EventId, grant.At, default, 0, 0, -1);

        public static Record Of(in CompactRewardGrant grant) =>
            new(grant.Source, grant.Member, grant.EventId, grant.At, grant.Unit, grant.UnitDay, grant.GrantDay, -1);

        public static Record Reversal(int grant, DateTimeOffset at, string eventId) => new(string.Empty, string.Empty, eventId, at, default, 0, 0, grant);
    }
}
