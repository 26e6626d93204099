using CommunityFunnel.Rewards;

namespace CommunityFunnel.Tests.Rewards;

/// <summary>
/// The ledger contract in its plainest form (entry objects, string keys, no fingerprints), as the in-memory
/// ledger was before it kept compact records: the reference the compact ledger and the engine's compact path are
/// compared with. Single-threaded use only.
/// </summary>
internal sealed class ReferenceRewardLedger : IRewardLedger
{
    private readonly List<RewardLedgerEntry> _entries = [];
    private readonly Dictionary<string, RewardLedgerEntry> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);

    public RewardAppendResult TryAppend(RewardLedgerEntry grant)
    {
        if (_byKey.ContainsKey(grant.Key))
        {
            return RewardAppendResult.AlreadyGranted;
        }

        var result = RewardAppendResult.Granted;
        foreach (var c in grant.Counters)
        {
            if (GetCounter(c.Key) + c.Amount > c.Limit)
            {
                if (!c.IsBudget)
                {
                    return RewardAppendResult.LimitReached;
                }

                result = RewardAppendResult.BudgetExhausted;
            }
        }

        if (result != RewardAppendResult.Granted)
        {
            return result;
        }

        foreach (var c in grant.Counters)
        {
            _counters[c.Key] = GetCounter(c.Key) + c.Amount;
        }

        _byKey.Add(grant.Key, grant);
        _entries.Add(grant);
        return result;
    }

    public RewardReverseResult TryReverse(string grantKey, DateTimeOffset at, string eventId)
    {
        if (!_byKey.TryGetValue(grantKey, out var grant) || grant.Kind != RewardEntryKind.Grant)
        {
            return RewardReverseResult.NotFound;
        }

        var reversal = grant with { Key = grantKey + "|reversed", Kind = RewardEntryKind.Reversal, At = at, EventId = eventId, Reverses = grantKey };
        if (!_byKey.TryAdd(reversal.Key, reversal))
        {
            return RewardReverseResult.AlreadyReversed;
        }

        foreach (var c in grant.Counters)
        {
            _counters[c.Key] -= c.Amount;
        }

        _entries.Add(reversal);
        return RewardReverseResult.Reversed;
    }

    public long GetCounter(string counterKey) => _counters.TryGetValue(counterKey, out var used) ? used : 0;

    public IReadOnlyList<RewardLedgerEntry> Snapshot() => _entries.ToArray();

    public Task<RewardAppendResult> TryAppendAsync(RewardLedgerEntry grant, CancellationToken cancellationToken) => Task.FromResult(TryAppend(grant));

    public Task<RewardReverseResult> TryReverseAsync(string grantKey, DateTimeOffset at, string eventId, CancellationToken cancellationToken) =>
        Task.FromResult(TryReverse(grantKey, at, eventId));

    public Task<long> GetCounterAsync(string counterKey, CancellationToken cancellationToken) => Task.FromResult(GetCounter(counterKey));

    public Task<IReadOnlyList<RewardLedgerEntry>> GetEntriesAsync(CancellationToken cancellationToken) => Task.FromResult(Snapshot());
}
