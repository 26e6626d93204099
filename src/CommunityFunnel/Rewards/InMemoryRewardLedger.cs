using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The default <see cref="IRewardLedger"/>: an array of compact records, a key index and counters behind one lock
/// (the "transaction"). Keys are held as keyed 128-bit fingerprints (<see cref="FingerprintTable"/>, random key per
/// ledger), not strings: an accidental collision between two of 10^9 keys has a probability below 10^-20, and it
/// could only make the ledger stricter (a grant refused as already granted, or two counters counted together),
/// never grant twice or overspend. The engine appends <see cref="CompactRewardGrant"/>s, whose entries are
/// materialised only by <see cref="Snapshot"/>.
/// </summary>
internal sealed class InMemoryRewardLedger : IRewardLedger
{
    private const string ReversedSuffix = "|reversed";
    private readonly object _gate = new();
    private readonly FingerprintTable _byKey = new();
    private readonly FingerprintTable _counterIndex = new();
    private long[] _counters = new long[64];
    private Record[] _records = new Record[64];
    private int _count;

    public RewardAppendResult TryAppend(RewardLedgerEntry grant)
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

        return Append(new Record { Entry = grant, Reverses = -1 }, KeyFingerprint(grant.Key), uses);
    }

    /// <summary>
    /// As <see cref="TryAppend(RewardLedgerEntry)"/> for the entry <paramref name="grant"/> materialises, whose key is
    /// <paramref name="key"/> and whose counters are <paramref name="counters"/> (fingerprinted with <see cref="CounterFingerprint"/>).
    /// </summary>
    internal RewardAppendResult TryAppend(in CompactRewardGrant grant, ReadOnlySpan<char> key, ReadOnlySpan<RewardCounterUse> counters) =>
        Append(new Record { Grant = grant, Reverses = -1 }, KeyFingerprint(key), counters);

    /// <summary>The fingerprint this ledger keeps for a counter key (computed outside the lock).</summary>
    internal (ulong Hi, ulong Lo) CounterFingerprint(ReadOnlySpan<char> counterKey) => _counterIndex.Fingerprint(counterKey);

    private (ulong Hi, ulong Lo) KeyFingerprint(ReadOnlySpan<char> key) => _byKey.Fingerprint(key);

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
            var i = _counterIndex.Find(c.Hi, c.Lo);
            var used = i < 0 ? 0 : _counters[i];
            if (checked(used + c.Amount) > c.Limit)
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

    public RewardReverseResult TryReverse(string grantKey, DateTimeOffset at, string eventId)
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
            if (index < 0 || _records[index].Reverses >= 0)
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
            Add(new Record { Grant = _records[index].Grant with { At = at, EventId = eventId }, Reverses = index });
            return RewardReverseResult.Reversed;
        }
    }

    public long GetCounter(string counterKey)
    {
        ArgumentNullException.ThrowIfNull(counterKey);
        var (hi, lo) = CounterFingerprint(counterKey);
        lock (_gate)
        {
            var i = _counterIndex.Find(hi, lo);
            return i < 0 ? 0 : _counters[i];
        }
    }

    public IReadOnlyList<RewardLedgerEntry> Snapshot()
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
        ref readonly var r = ref _records[index];
        if (r.Reverses >= 0)
        {
            var grant = Materialise(r.Reverses);
            return grant with
            {
                Key = grant.Key + ReversedSuffix,
                Kind = RewardEntryKind.Reversal,
                At = r.Grant.At,
                EventId = r.Grant.EventId,
                Reverses = grant.Key,
            };
        }

        return r.Entry ?? r.Grant.Source.Materialise(r.Grant);
    }

    /// <summary>The counter with this fingerprint, added at 0 when new.</summary>
    private ref long Counter(ulong hi, ulong lo)
    {
        var i = _counterIndex.GetOrAdd(hi, lo, _counterIndex.Count, out var added);
        if (added && i == _counters.Length)
        {
            Array.Resize(ref _counters, _counters.Length * 2);
        }

        return ref _counters[i];
    }

    private void Add(in Record record)
    {
        if (_count == _records.Length)
        {
            Array.Resize(ref _records, _records.Length * 2);
        }

        _records[_count++] = record;
    }

    /// <summary>
    /// One entry: a grant appended as an object (<see cref="Entry"/>), a compact grant (<see cref="Grant"/>), or the
    /// reversal of record <see cref="Reverses"/> (-1 for grants), whose instant and event id are in <see cref="Grant"/>.
    /// </summary>
    private struct Record
    {
        public RewardLedgerEntry? Entry;
        public CompactRewardGrant Grant;
        public int Reverses;
    }
}
