using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The engine's second half: the member directory (facts observed, eligibility checked) and the ledger (grants,
/// reversals), with the statistics of their outcomes. The rules' state never depends on either, so the engine
/// decides grants first and hands them here: with the in-memory ledger and directory at once
/// (<see cref="Run"/>) or on a second thread that runs these steps in order behind it
/// (<see cref="RewardGrantPipeline"/>); with a host's ledger or directory awaited on the caller's flow
/// (<see cref="RunAsync"/>). One caller at a time.
/// </summary>
internal sealed class RewardGrantWriter(IRewardLedger ledger, IMemberDirectory directory, RewardStatistics statistics)
{
    /// <summary>Grants whose keys <see cref="RunAll"/> fingerprints and reads ahead at a time.</summary>
    private const int LookAhead = 16;

    /// <summary>Counters a grant can use at most: one of each <see cref="CompiledRewardRule.CounterKind"/>.</summary>
    private static readonly int MaxCounters = Enum.GetValues<CompiledRewardRule.CounterKind>().Length;

    /// <summary>The ledger when it is the in-memory default, which takes grants as structs and keys as characters.</summary>
    private readonly InMemoryRewardLedger? _compact = ledger as InMemoryRewardLedger;

    /// <summary>The directory when it is the default one, which changes only on membership events and knows staff and bots without reading facts.</summary>
    private readonly InMemoryMemberDirectory? _defaultDirectory = directory as InMemoryMemberDirectory;
    private char[] _keyBuffer = new char[256];

    /// <summary>The ledger when it is the library's in-memory one, else null.</summary>
    public InMemoryRewardLedger? InMemoryLedger => _compact;

    /// <summary>
    /// True when both the ledger and the directory are the library's own in-memory ones (sealed internal types, so
    /// no host subclass or wrapper): only then do steps run at once (<see cref="Run"/>), and a batch may run them on
    /// a thread the library starts, since no host code is called from it.
    /// </summary>
    public bool CallsNoHostCode => _compact is not null && _defaultDirectory is not null;

    /// <summary>The counters of a block of grants in <see cref="RunAll"/>.</summary>
    private RewardCounterUse[]? _uses;

    /// <summary>Where reads made only to bring memory into the cache go, so that they are not optimised away.</summary>
    private long _touched;

    /// <summary>The facts of <see cref="_factsOf"/> (the member's id as the grant holds it); none since the directory last observed an event.</summary>
    private MemberFacts? _facts;
    private string? _factsOf;

    /// <summary>
    /// Runs <paramref name="step"/> with a host's ledger or directory, awaiting them on the caller's flow (the
    /// in-memory parts run at once); 1 when it appended a ledger entry, else 0.
    /// </summary>
    public async Task<int> RunAsync(RewardGrantStep step, CancellationToken cancellationToken)
    {
        if (step.Observed is { } e)
        {
            _factsOf = null;
            if (_defaultDirectory is { } known)
            {
                known.Observe(e);
            }
            else
            {
                await directory.ObserveAsync(e, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }

        var grant = step.Grant;
        var rule = (CompiledRewardRule)grant.Source;
        if (step.ReversedBy is { } eventId)
        {
            if (_compact is not null)
            {
                return Reverse(grant, eventId);
            }

            var result = await ledger.TryReverseAsync(ReversalKey(grant), grant.At, eventId, cancellationToken).ConfigureAwait(false);
            return CountReversal(result);
        }

        if (_defaultDirectory is null && !ReferenceEquals(_factsOf, grant.Member))
        {
            _facts = await directory.FindAsync(grant.Member, cancellationToken).ConfigureAwait(false);
            _factsOf = grant.Member;
        }

        if (_compact is not null && Granted is null)
        {
            return Append(grant);
        }

        if (!Admit(grant))
        {
            return 0;
        }

        var entry = rule.Materialise(grant);
        var outcome = _compact is not null ? _compact.TryAppend(entry) : await ledger.TryAppendAsync(entry, cancellationToken).ConfigureAwait(false);
        if (outcome is RewardAppendResult.Granted or RewardAppendResult.AlreadyGranted)
        {
            Granted?.Add(entry);
        }

        return Count(outcome);
    }

    /// <summary>While set, <see cref="RunAsync"/> adds each grant the ledger holds after its append (new or there already) to it.</summary>
    public ICollection<RewardLedgerEntry>? Granted { get; set; }

    /// <summary>
    /// Runs <paramref name="step"/> at once; 1 when it appended a ledger entry, else 0. Only with the in-memory
    /// ledger and directory (<see cref="CallsNoHostCode"/>).
    /// </summary>
    public int Run(in RewardGrantStep step)
    {
        if (step.Observed is { } e)
        {
            Observe(e);
            return 0;
        }

        return step.ReversedBy is { } eventId ? Reverse(step.Grant, eventId) : Append(step.Grant);
    }

    /// <summary>
    /// Whether the directory must observe events of <paramref name="type"/>: a host's directory sees every event;
    /// the default one reads only joins, leaves and removals, so a batch need not queue the others for it.
    /// </summary>
    public bool Observes(EventType type) => _defaultDirectory is null || MemberFacts.Changes(type);

    /// <summary>Forgets the member facts fetched for the event being processed (it failed and will be processed again).</summary>
    public void Forget() => _factsOf = null;

    /// <summary>Lets the in-memory directory see <paramref name="e"/> (every event, before its grants).</summary>
    public void Observe(CommunityEvent e)
    {
        _defaultDirectory!.Observe(e);
        _factsOf = null;
    }

    /// <summary>
    /// Runs <paramref name="steps"/> in order, as <see cref="Run"/> each. With the in-memory ledger it first writes
    /// and fingerprints the keys of a block of grants and reads their index entries, so that the cache misses of the
    /// block's appends overlap; then it appends them in order with those fingerprints.
    /// </summary>
    /// <returns>How many ledger entries the steps appended.</returns>
    public int RunAll(ReadOnlySpan<RewardGrantStep> steps)
    {
        var appended = 0;
        if (_compact is not { } compact)
        {
            foreach (ref readonly var step in steps)
            {
                appended += Run(step);
            }

            return appended;
        }

        Span<(ulong Hi, ulong Lo)> keys = stackalloc (ulong, ulong)[LookAhead];
        Span<int> firstUse = stackalloc int[LookAhead + 1];
        _uses ??= new RewardCounterUse[LookAhead * MaxCounters];
        for (var start = 0; start < steps.Length; start += LookAhead)
        {
            var block = steps.Slice(start, Math.Min(LookAhead, steps.Length - start));
            var uses = 0;
            for (var i = 0; i < block.Length; i++)
            {
                firstUse[i] = uses;
                ref readonly var step = ref block[i];
                if (step.Observed is null && step.ReversedBy is null)
                {
                    var rule = (CompiledRewardRule)step.Grant.Source;
                    keys[i] = Fingerprints(compact, rule, step.Grant, _uses.AsSpan(uses, rule.Counters.Length));
                    uses += rule.Counters.Length;
                }
                else
                {
                    keys[i] = default;
                }
            }

            firstUse[block.Length] = uses;
            _touched ^= compact.Touch(keys[..block.Length], _uses.AsSpan(0, uses));
            for (var i = 0; i < block.Length; i++)
            {
                ref readonly var step = ref block[i];
                appended += step.Observed is null && step.ReversedBy is null
                    ? Append(step.Grant, compact, keys[i], _uses.AsSpan(firstUse[i], firstUse[i + 1] - firstUse[i]))
                    : Run(step);
            }
        }

        return appended;
    }

    /// <summary>Appends the grant (its source is the rule that fired) when the member is eligible; 1 when granted, else 0.</summary>
    public int Append(in CompactRewardGrant grant)
    {
        if (_compact is { } compact)
        {
            var rule = (CompiledRewardRule)grant.Source;
            Span<RewardCounterUse> uses = stackalloc RewardCounterUse[rule.Counters.Length];
            return Append(grant, compact, Fingerprints(compact, rule, grant, uses), uses);
        }

        throw new InvalidOperationException("A host's reward ledger is written through RunAsync.");
    }

    /// <summary>The in-memory ledger's append of a grant whose key and counters are fingerprinted already.</summary>
    private int Append(in CompactRewardGrant grant, InMemoryRewardLedger compact, (ulong Hi, ulong Lo) key, ReadOnlySpan<RewardCounterUse> uses) =>
        Admit(grant) ? Count(compact.TryAppend(grant, key, uses)) : 0;

    /// <summary>Whether the member is eligible for the grant; counts it in the statistics when not.</summary>
    private bool Admit(in CompactRewardGrant grant)
    {
        if (IsEligible((CompiledRewardRule)grant.Source, grant.Member))
        {
            return true;
        }

        statistics.Ineligible++;
        return false;
    }

    /// <summary>Counts an append's outcome; 1 when granted, else 0.</summary>
    private int Count(RewardAppendResult result)
    {
        switch (result)
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
    public int Reverse(in CompactRewardGrant approval, string eventId) =>
        CountReversal(_compact!.TryReverse(ApprovalGrantKey(approval), approval.At, eventId));

    /// <summary>The key of the approval's grant (what a host's ledger is asked to reverse).</summary>
    private string ReversalKey(in CompactRewardGrant approval) => ApprovalGrantKey(approval).ToString();

    /// <summary>The key of the grant of an approval, written into the key buffer (valid until the buffer is used again).</summary>
    private ReadOnlySpan<char> ApprovalGrantKey(in CompactRewardGrant approval)
    {
        var rule = (CompiledRewardRule)approval.Source;
        var w = new RewardKeyWriter(KeyBuffer(rule, approval.Member, approval.EventId));
        rule.WriteKey(ref w, approval.Member, RewardGrantUnit.Event, 0, approval.EventId);
        return w.Written;
    }

    /// <summary>Counts a reversal's outcome; 1 when reversed, else 0.</summary>
    private int CountReversal(RewardReverseResult result)
    {
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

    /// <summary>
    /// Whether the member may have a grant of <paramref name="rule"/>. With the in-memory directory it is asked at
    /// once; with a host's, <see cref="RunAsync"/> has fetched the member's facts into <see cref="_facts"/> first.
    /// </summary>
    private bool IsEligible(CompiledRewardRule rule, string member)
    {
        var rules = rule.Rule.Eligibility;
        if (_defaultDirectory is { } known)
        {
            if (rule.RoleOnlyEligibility)
            {
                return !rules.ExcludeStaffAndBots || !known.IsStaffOrBot(member);
            }

            if (!ReferenceEquals(_factsOf, member))
            {
                // Facts change only when the directory observes an event: one look-up per event, whatever fires.
                _facts = known.Find(member);
                _factsOf = member;
            }
        }

        var facts = _facts;
        var role = facts?.Role ?? MemberRole.Member;
        if (rules.ExcludeStaffAndBots && role != MemberRole.Member)
        {
            return false;
        }

        if (rules.States.Count > 0 && !rules.States.Contains(facts?.State ?? MembershipState.Unknown))
        {
            return false;
        }

        if (rules.JoinedAfter is { } after && (facts?.FirstJoinedAt is not { } joined || joined < after))
        {
            return false;
        }

        if (rules.JoinedBefore is { } before && (facts?.FirstJoinedAt is not { } joined2 || joined2 >= before))
        {
            return false;
        }

        return rules.Channels.Count == 0 || (facts?.Channel is { } channel && rules.Channels.Contains(channel, StringComparer.Ordinal));
    }

    /// <summary>
    /// The in-memory ledger's fingerprints of the grant's key (returned) and counters (<paramref name="uses"/>): the
    /// keys written into a buffer and fingerprinted, nothing allocated.
    /// </summary>
    private (ulong Hi, ulong Lo) Fingerprints(InMemoryRewardLedger compact, CompiledRewardRule rule, in CompactRewardGrant grant, Span<RewardCounterUse> uses)
    {
        var shapes = rule.Counters;
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
        return compact.KeyFingerprint(w.Written);
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
