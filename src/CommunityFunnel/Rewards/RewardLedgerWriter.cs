namespace CommunityFunnel.Rewards;

/// <summary>
/// Writes the engine's grants and reversals to its ledger and counts the outcomes in its statistics: the one place
/// that turns a decided grant into a ledger call, whether the engine writes it at once (<see cref="IRewardEngine.Process"/>)
/// or a second thread writes it in order behind the engine (<see cref="RewardLedgerPipeline"/>). One thread at a time.
/// </summary>
internal sealed class RewardLedgerWriter(IRewardLedger ledger, RewardStatistics statistics)
{
    /// <summary>The ledger when it is the in-memory default, which takes grants as structs and keys as characters.</summary>
    private readonly InMemoryRewardLedger? _compact = ledger as InMemoryRewardLedger;
    private char[] _keyBuffer = new char[256];

    /// <summary>Writes <paramref name="write"/>; 1 when it appended a ledger entry, else 0.</summary>
    public int Write(in PendingLedgerWrite write) =>
        write.ReversedBy is { } eventId ? Reverse(write.Grant, eventId) : Append(write.Grant);

    /// <summary>Appends the grant (its source is the rule that fired); 1 when granted, else 0.</summary>
    public int Append(in CompactRewardGrant grant)
    {
        var rule = (CompiledRewardRule)grant.Source;
        switch (_compact is { } compact ? AppendCompact(compact, rule, grant) : ledger.TryAppend(rule.Materialise(grant)))
        {
            case RewardAppendResult.Granted:
                statistics.Grants++;
                return 1;
            case RewardAppendResult.AlreadyGranted:
                statistics.AlreadyGranted++;
                return 0;
            case RewardAppendResult.BudgetExhausted:
                statistics.BudgetExhausted++;
                return 0;
            default:
                statistics.LimitReached++;
                return 0;
        }
    }

    /// <summary>
    /// Reverses the grant of an approval: <paramref name="approval"/> names the rule, member and approval event (its
    /// <see cref="CompactRewardGrant.EventId"/>) and the rejection's instant; <paramref name="eventId"/> is the rejection.
    /// </summary>
    public int Reverse(in CompactRewardGrant approval, string eventId)
    {
        var rule = (CompiledRewardRule)approval.Source;
        var w = new RewardKeyWriter(KeyBuffer(rule, approval.Member, approval.EventId));
        rule.WriteKey(ref w, approval.Member, RewardGrantUnit.Event, 0, approval.EventId);
        var result = _compact is { } compact
            ? compact.TryReverse(w.Written, approval.At, eventId)
            : ledger.TryReverse(w.Written.ToString(), approval.At, eventId);
        if (result == RewardReverseResult.Reversed)
        {
            statistics.Reversals++;
            return 1;
        }

        return 0;
    }

    /// <summary>The fingerprints of the rule's counters whose key is the same for every grant, when the ledger is the in-memory one.</summary>
    public (ulong Hi, ulong Lo)[]? FixedCounterFingerprints(CompiledRewardRule rule)
    {
        if (_compact is null)
        {
            return null;
        }

        var prints = new (ulong Hi, ulong Lo)[rule.Counters.Length];
        for (var i = 0; i < prints.Length; i++)
        {
            if (rule.Counters[i].FixedKey is { } key)
            {
                prints[i] = _compact.CounterFingerprint(key);
            }
        }

        return prints;
    }

    /// <summary>The in-memory ledger's path: the key and the member's counter keys written into a buffer and fingerprinted, nothing allocated.</summary>
    private RewardAppendResult AppendCompact(InMemoryRewardLedger compact, CompiledRewardRule rule, in CompactRewardGrant grant)
    {
        var shapes = rule.Counters;
        Span<RewardCounterUse> uses = stackalloc RewardCounterUse[shapes.Length];
        var buffer = KeyBuffer(rule, grant.Member, grant.EventId);
        var fixedPrints = rule.FixedCounterFingerprints!;
        for (var i = 0; i < shapes.Length; i++)
        {
            var shape = shapes[i];
            var (hi, lo) = fixedPrints[i];
            if (shape.FixedKey is null)
            {
                var cw = new RewardKeyWriter(buffer);
                rule.WriteCounterKey(ref cw, i, grant.Member, grant.GrantDay);
                (hi, lo) = compact.CounterFingerprint(cw.Written);
            }

            uses[i] = new RewardCounterUse(hi, lo, shape.Limit, shape.Amount, shape.IsBudget);
        }

        var w = new RewardKeyWriter(buffer);
        rule.WriteKey(ref w, grant.Member, grant.Unit, grant.UnitDay, grant.EventId);
        return compact.TryAppend(grant, w.Written, uses);
    }

    /// <summary>The writer's key buffer, long enough for any key of this grant.</summary>
    private char[] KeyBuffer(CompiledRewardRule rule, string member, string eventId)
    {
        var length = rule.MaxKeyLength(member, eventId);
        if (_keyBuffer.Length < length)
        {
            _keyBuffer = new char[Math.Max(length, _keyBuffer.Length * 2)];
        }

        return _keyBuffer;
    }
}
