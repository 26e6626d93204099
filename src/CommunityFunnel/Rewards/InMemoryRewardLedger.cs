using System.Runtime.InteropServices;

namespace CommunityFunnel.Rewards;

/// <summary>The default <see cref="IRewardLedger"/>: a list, a key index and counters behind one lock (the "transaction").</summary>
internal sealed class InMemoryRewardLedger : IRewardLedger
{
    private readonly object _gate = new();
    private readonly List<RewardLedgerEntry> _entries = [];
    private readonly Dictionary<string, RewardLedgerEntry> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);

    public RewardAppendResult TryAppend(RewardLedgerEntry grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (grant.Kind != RewardEntryKind.Grant)
        {
            throw new ArgumentException("Only grants are appended with TryAppend; use TryReverse for reversals.", nameof(grant));
        }

        lock (_gate)
        {
            // One hash of the key: reserve the slot, and release it again when a counter refuses the grant.
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_byKey, grant.Key, out var exists);
            if (exists)
            {
                return RewardAppendResult.AlreadyGranted;
            }

            try
            {
                var result = CheckCounters(grant.Counters);
                if (result != RewardAppendResult.Granted)
                {
                    _byKey.Remove(grant.Key);
                    return result;
                }

                var counters = grant.Counters;
                for (var i = 0; i < counters.Count; i++)
                {
                    var c = counters[i];
                    ref var used = ref CollectionsMarshal.GetValueRefOrAddDefault(_counters, c.Key, out _);
                    used = checked(used + c.Amount);
                }
            }
            catch (OverflowException)
            {
                _byKey.Remove(grant.Key);
                throw;
            }

            // _byKey has not changed since the slot was reserved, so the reference is still valid.
            slot = grant;
            _entries.Add(grant);
            return RewardAppendResult.Granted;
        }
    }

    /// <summary>Granted when every counter has room; a refused cap wins over an exhausted budget.</summary>
    private RewardAppendResult CheckCounters(IReadOnlyList<RewardCounter> counters)
    {
        var result = RewardAppendResult.Granted;
        for (var i = 0; i < counters.Count; i++)
        {
            var c = counters[i];
            _counters.TryGetValue(c.Key, out var used);
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
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var reversalKey = grantKey + "|reversed";
        lock (_gate)
        {
            if (!_byKey.TryGetValue(grantKey, out var grant) || grant.Kind != RewardEntryKind.Grant)
            {
                return RewardReverseResult.NotFound;
            }

            if (_byKey.ContainsKey(reversalKey))
            {
                return RewardReverseResult.AlreadyReversed;
            }

            foreach (var c in grant.Counters)
            {
                _counters[c.Key] = checked(_counters[c.Key] - c.Amount);
            }

            var reversal = grant with
            {
                Key = reversalKey,
                Kind = RewardEntryKind.Reversal,
                At = at,
                EventId = eventId,
                Reverses = grantKey,
            };
            _byKey.Add(reversalKey, reversal);
            _entries.Add(reversal);
            return RewardReverseResult.Reversed;
        }
    }

    public long GetCounter(string counterKey)
    {
        lock (_gate)
        {
            return _counters.TryGetValue(counterKey, out var value) ? value : 0;
        }
    }

    public IReadOnlyList<RewardLedgerEntry> Snapshot()
    {
        lock (_gate)
        {
            return _entries.ToArray();
        }
    }
}
