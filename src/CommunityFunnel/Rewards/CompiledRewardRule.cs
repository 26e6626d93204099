namespace CommunityFunnel.Rewards;

/// <summary>
/// A rule as the engine runs it: its trigger copied for the hot loop, its state slot, and the one definition of its
/// grants' keys, counters and rewards. Grant keys are <c>rule|len:member|unit</c>; counter keys
/// <c>limit|rule|len:member|d:yyyy-MM-dd</c> (<c>|w:</c> week start, <c>|m:yyyy-MM</c>, <c>|ever</c>),
/// <c>total|rule</c> and <c>budget|id</c>, in that order.
/// </summary>
internal sealed class CompiledRewardRule : IRewardGrantSource
{
    private readonly TimeZoneInfo _zone;
    private readonly string _grantPrefix;
    private readonly string _limitPrefix;
    private readonly int _longestPrefix;
    private DayRewards? _rewards;

    public CompiledRewardRule(RewardRule rule, int slot, RewardBudget? budget, TimeZoneInfo zone)
    {
        Rule = rule;
        Slot = slot;
        _zone = zone;
        var t = rule.Trigger;
        Kind = t.Kind;
        Task = t.Task;
        TriggerCount = t.Count;
        TriggerAmount = t.Amount;
        Period = t.Period;
        FromTicks = rule.ActiveFrom is { } from ? from.UtcTicks : long.MinValue;
        ToTicks = rule.ActiveTo is { } to ? to.UtcTicks : long.MaxValue;
        _grantPrefix = rule.Id + "|";
        _limitPrefix = "limit|" + rule.Id + "|";
        var el = rule.Eligibility;
        RoleOnlyEligibility = el.States.Count == 0 && el.Channels.Count == 0 && el.JoinedAfter is null && el.JoinedBefore is null;
        foreach (var reward in rule.Rewards)
        {
            // Saturating: a cost past long.MaxValue is more than any budget holds, and must not overflow the engine.
            var cost = reward.Cost != 0 && reward.Quantity > long.MaxValue / reward.Cost ? long.MaxValue : reward.Quantity * reward.Cost;
            Cost = cost > long.MaxValue - Cost ? long.MaxValue : Cost + cost;
            HasCoupons |= reward.Coupon?.ValidDays is not null;
        }

        var l = rule.Limits;
        var counters = new List<CounterShape>();
        void Cap(CounterKind kind, long? limit, string? key = null)
        {
            if (limit is { } n)
            {
                counters.Add(new CounterShape(kind, n, 1, false, key));
            }
        }

        Cap(CounterKind.PerDay, l.PerMemberPerDay);
        Cap(CounterKind.PerWeek, l.PerMemberPerWeek);
        Cap(CounterKind.PerMonth, l.PerMemberPerMonth);
        Cap(CounterKind.Ever, l.PerMemberEver);
        Cap(CounterKind.Total, l.RuleTotal, "total|" + rule.Id);
        if (budget is { ChargedAt: RewardBudgetCharge.Grant })
        {
            counters.Add(new CounterShape(CounterKind.Budget, budget.Limit, Cost, true, "budget|" + budget.Id));
        }

        Counters = counters.ToArray();
        _longestPrefix = Math.Max(_limitPrefix.Length, Counters.Select(c => c.FixedKey?.Length ?? 0).DefaultIfEmpty().Max());
    }

    public RewardRule Rule { get; }

    public int Slot { get; }

    /// <summary>Whether an earlier count rule that counts the same events owns <see cref="Slot"/> (this one only reads it).</summary>
    public bool SharesSlot { get; init; }

    /// <summary>
    /// For a count rule that owns its slot: the rules right after it in its event type's list that share the slot,
    /// in order. The engine applies them with this rule (one window and period check, then only their thresholds
    /// against the one count) instead of visiting each.
    /// </summary>
    public CompiledRewardRule[] Followers { get; set; } = [];

    /// <summary>The trigger's kind, task, count, amount and period, copied for the hot loop.</summary>
    public RewardTriggerKind Kind { get; }

    public string? Task { get; }

    public int TriggerCount { get; }

    public long TriggerAmount { get; }

    public RewardPeriod Period { get; }

    /// <summary>The active window as UTC ticks, [from, to); open ends are the extreme values.</summary>
    public long FromTicks { get; }

    public long ToTicks { get; }

    /// <summary>Whether eligibility depends on the member's role only (no states, channels or join window).</summary>
    public bool RoleOnlyEligibility { get; }

    /// <summary>What one grant costs the rule's budget.</summary>
    public long Cost { get; }

    public bool HasCoupons { get; }

    /// <summary>The counters a grant consumes, in the order of its <see cref="RewardLedgerEntry.Counters"/>.</summary>
    public CounterShape[] Counters { get; }

    /// <summary>
    /// For the in-memory ledger: the fingerprints of the counters whose key is the same for every grant (rule
    /// total, budget), set once by the engine; default for the others.
    /// </summary>
    public (ulong Hi, ulong Lo)[]? FixedCounterFingerprints { get; set; }

    /// <summary>Enough characters for any key of a grant of this rule to <paramref name="member"/> for event <paramref name="eventId"/>, its reversal's included.</summary>
    public int MaxKeyLength(string member, string eventId) =>
        Math.Max(_grantPrefix.Length, _longestPrefix) + member.Length + Math.Max(eventId.Length, 11) + 32;

    /// <summary>The grant's idempotency key, <c>rule|len:member|unit</c>.</summary>
    public void WriteKey(ref RewardKeyWriter w, string member, RewardGrantUnit unit, int unitDay, string eventId)
    {
        w.Append(_grantPrefix);
        w.AppendMember(member);
        switch (unit)
        {
            case RewardGrantUnit.Day:
                w.Append("|d:");
                w.AppendDate(DateOnly.FromDayNumber(unitDay));
                break;
            case RewardGrantUnit.Streak:
                w.Append("|s:");
                w.AppendDate(DateOnly.FromDayNumber(unitDay));
                break;
            case RewardGrantUnit.Period:
                w.Append("|p:");
                var start = DateOnly.FromDayNumber(unitDay);
                switch (Period)
                {
                    case RewardPeriod.Month:
                        w.AppendMonth(start);
                        break;
                    case RewardPeriod.Week:
                        w.Append('w');
                        w.AppendDate(start);
                        break;
                    case RewardPeriod.Ever:
                        w.Append("ever");
                        break;
                    default:
                        w.AppendDate(start);
                        break;
                }

                break;
            case RewardGrantUnit.Event:
                w.Append("|e:");
                w.Append(eventId);
                break;
            default:
                w.Append("|first");
                break;
        }
    }

    /// <summary>The key of counter <paramref name="index"/> of a grant to <paramref name="member"/> on local day <paramref name="grantDay"/>.</summary>
    public void WriteCounterKey(ref RewardKeyWriter w, int index, string member, int grantDay)
    {
        var shape = Counters[index];
        if (shape.FixedKey is { } key)
        {
            w.Append(key);
            return;
        }

        w.Append(_limitPrefix);
        w.AppendMember(member);
        var day = DateOnly.FromDayNumber(grantDay);
        switch (shape.Kind)
        {
            case CounterKind.PerDay:
                w.Append("|d:");
                w.AppendDate(day);
                break;
            case CounterKind.PerWeek:
                w.Append("|w:");
                w.AppendDate(LocalCalendar.WeekStart(day));
                break;
            case CounterKind.PerMonth:
                w.Append("|m:");
                w.AppendMonth(day);
                break;
            default:
                w.Append("|ever");
                break;
        }
    }

    public RewardLedgerEntry Materialise(in CompactRewardGrant grant)
    {
        var length = MaxKeyLength(grant.Member, grant.EventId);
        Span<char> buffer = length <= 512 ? stackalloc char[512] : new char[length];
        var w = new RewardKeyWriter(buffer);
        WriteKey(ref w, grant.Member, grant.Unit, grant.UnitDay, grant.EventId);
        var key = w.Written.ToString();
        var counters = Counters.Length == 0 ? [] : new RewardCounter[Counters.Length];
        for (var i = 0; i < counters.Length; i++)
        {
            var shape = Counters[i];
            w = new RewardKeyWriter(buffer);
            WriteCounterKey(ref w, i, grant.Member, grant.GrantDay);
            counters[i] = new RewardCounter(shape.FixedKey ?? w.Written.ToString(), shape.Limit, shape.Amount, shape.IsBudget);
        }

        var rewards = RewardsFor(grant.GrantDay);
        return new RewardLedgerEntry
        {
            Key = key,
            RuleId = Rule.Id,
            Member = grant.Member,
            At = grant.At,
            EventId = grant.EventId,
            Rewards = rewards.Rewards,
            Counters = counters,
            ExpiresAt = rewards.Expiry,
        };
    }

    /// <summary>
    /// The rewards (draw ids resolved) and coupon expiry of a grant on local day <paramref name="day"/>; the last
    /// day's are kept, so entries of the same day share one list. Replacing the reference is atomic, so any thread may call.
    /// </summary>
    private DayRewards RewardsFor(int day)
    {
        var known = _rewards;
        if (known is not null && known.Day == day)
        {
            return known;
        }

        var date = DateOnly.FromDayNumber(day);
        var fresh = new DayRewards(day, ResolveRewards(Rule.Rewards, date), HasCoupons ? Expiry(Rule.Rewards, date) : null);
        _rewards = fresh;
        return fresh;
    }

    private static IReadOnlyList<RewardSpec> ResolveRewards(IReadOnlyList<RewardSpec> rewards, DateOnly day)
    {
        RewardSpec[]? resolved = null;
        for (var i = 0; i < rewards.Count; i++)
        {
            if (rewards[i].Draw is { } draw && draw.Contains('{', StringComparison.Ordinal))
            {
                resolved ??= rewards.ToArray();
                resolved[i] = rewards[i] with { Draw = DrawIdPlaceholders.Resolve(draw, day) };
            }
        }

        return resolved ?? rewards;
    }

    private DateTimeOffset? Expiry(IReadOnlyList<RewardSpec> rewards, DateOnly day)
    {
        int? days = null;
        foreach (var reward in rewards)
        {
            if (reward.Coupon?.ValidDays is { } valid && (days is null || valid < days))
            {
                days = valid;
            }
        }

        return days is { } n ? LocalCalendar.StartOfDay(day.AddDays(n), _zone) : null;
    }

    /// <summary>The kinds of counter, in the order a grant lists them.</summary>
    internal enum CounterKind
    {
        PerDay,
        PerWeek,
        PerMonth,
        Ever,
        Total,
        Budget,
    }

    /// <summary>One counter a grant consumes; <see cref="FixedKey"/> is set for those with the same key for every grant.</summary>
    internal readonly record struct CounterShape(CounterKind Kind, long Limit, long Amount, bool IsBudget, string? FixedKey);

    private sealed record DayRewards(int Day, IReadOnlyList<RewardSpec> Rewards, DateTimeOffset? Expiry);
}
