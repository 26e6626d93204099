using System.Globalization;
using System.Runtime.InteropServices;
using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The rule engine: rules indexed by the event type that can trigger them, compact per-member state (one slot per
/// stateful rule), and grants keyed deterministically. Events are applied in the order given; see
/// <see cref="RewardReplay"/> for the time-ordered replay.
/// </summary>
internal sealed class RewardEngine : IRewardEngine
{
    private const int StreakWindow = 64;
    private readonly object _gate = new();
    private readonly CompiledRule[][] _byType;
    private readonly CompiledRule[] _approvalRules;
    private readonly int _slotCount;
    private readonly Dictionary<string, MemberTrack> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RewardBudget> _budgets = new(StringComparer.Ordinal);
    private readonly TimeZoneInfo _zone;
    private readonly IRewardLedger _ledger;
    private readonly IRewardMemberDirectory _directory;
    private long _dayStartTicks = long.MaxValue;
    private long _dayEndTicks = long.MinValue;
    private DateOnly _day;
    private string _dayIso = string.Empty;
    private string _weekIso = string.Empty;
    private string _monthKey = string.Empty;
    private string _weekKey = string.Empty;
    private DateOnly _weekStart;
    private DateOnly _monthStart;

    public RewardEngine(RewardRuleSet rules, TimeZoneInfo zone, IRewardLedger ledger, IRewardMemberDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate(requireRules: false);
        _zone = zone ?? throw new ArgumentNullException(nameof(zone));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        foreach (var b in rules.Budgets)
        {
            _budgets.Add(b.Id, b);
        }

        var lists = new List<CompiledRule>[Enum.GetValues<EventType>().Length];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = [];
        }

        var approvals = new List<CompiledRule>();
        foreach (var rule in rules.Rules)
        {
            var t = rule.Trigger;
            var stateful = t.Kind is not (RewardTriggerKind.Submitted or RewardTriggerKind.Approved);
            var compiled = new CompiledRule(rule, stateful ? _slotCount++ : -1, rule.Budget is { } b ? _budgets[b].Limit : 0);
            switch (t.Kind)
            {
                case RewardTriggerKind.Checkin or RewardTriggerKind.Streak:
                    lists[(int)EventType.Checkin].Add(compiled);
                    break;
                case RewardTriggerKind.Submitted:
                    lists[(int)EventType.TaskSubmitted].Add(compiled);
                    break;
                case RewardTriggerKind.Approved:
                    lists[(int)EventType.TaskApproved].Add(compiled);
                    lists[(int)EventType.TaskRejected].Add(compiled);
                    approvals.Add(compiled);
                    break;
                case RewardTriggerKind.Count:
                    lists[(int)t.Event!.Value].Add(compiled);
                    break;
                default:
                    lists[(int)EventType.Order].Add(compiled);
                    break;
            }
        }

        _byType = lists.Select(l => l.ToArray()).ToArray();
        _approvalRules = approvals.ToArray();
    }

    public RewardStatistics Statistics { get; } = new();

    /// <summary>Members with reward state (for memory measurements).</summary>
    internal int MemberCount => _members.Count;

    public int Process(CommunityEvent communityEvent)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        lock (_gate)
        {
            return ProcessCore(communityEvent);
        }
    }

    private int ProcessCore(CommunityEvent e)
    {
        Statistics.Events++;
        _directory.Observe(e);
        var rules = _byType[(int)e.Type];
        if (rules.Length == 0)
        {
            return 0;
        }

        ref var track = ref CollectionsMarshal.GetValueRefOrAddDefault(_members, e.Member, out _);
        track ??= new MemberTrack(_slotCount);
        var ticks = e.AtUtcTicks;
        if (ticks < _dayStartTicks || ticks >= _dayEndTicks)
        {
            MoveDay(ticks);
        }

        var day = _day;
        var appended = 0;
        var slots = track.Slots;
        foreach (var rule in rules)
        {
            if (ticks < rule.FromTicks || ticks >= rule.ToTicks)
            {
                continue;
            }

            if (rule.Task is not null && !string.Equals(rule.Task, e.Task, StringComparison.Ordinal))
            {
                continue;
            }

            switch (rule.Kind)
            {
                case RewardTriggerKind.Checkin:
                    appended += Checkin(rule, ref slots[rule.Slot], track, e, day);
                    break;
                case RewardTriggerKind.Streak:
                    appended += Streak(rule, ref slots[rule.Slot], track, e, day);
                    break;
                case RewardTriggerKind.Submitted:
                    appended += Fire(rule, track, e, "|e:", e.Id, day);
                    break;
                case RewardTriggerKind.Approved:
                    appended += Review(rule, track, e, day);
                    break;
                case RewardTriggerKind.Count:
                    appended += Count(rule, ref slots[rule.Slot], track, e, day);
                    break;
                case RewardTriggerKind.OrderTotal:
                    appended += OrderTotal(rule, ref slots[rule.Slot], track, e, day);
                    break;
                case RewardTriggerKind.FirstOrder:
                    ref var slot = ref slots[rule.Slot];
                    if (slot.Flag == 0)
                    {
                        slot.Flag = 1;
                        appended += Fire(rule, track, e, "|first", string.Empty, day);
                    }

                    break;
            }
        }

        if (e.Type == EventType.TaskApproved || e.Type == EventType.TaskRejected)
        {
            track.Record(e);
        }

        return appended;
    }

    private void MoveDay(long ticks)
    {
        _day = LocalCalendar.LocalDate(ticks, _zone);
        _dayStartTicks = LocalCalendar.StartOfDay(_day, _zone).UtcTicks;
        _dayEndTicks = LocalCalendar.StartOfDay(_day.AddDays(1), _zone).UtcTicks;
        _dayIso = FormatIso(_day);
        _weekStart = LocalCalendar.WeekStart(_day);
        _monthStart = LocalCalendar.MonthStart(_day);
        _weekIso = FormatIso(_weekStart);
        _monthKey = _day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        _weekKey = "w" + _weekIso;
    }

    private int Checkin(CompiledRule rule, ref Slot slot, MemberTrack track, CommunityEvent e, DateOnly day)
    {
        if (slot.Flag != 0 && slot.Day == day.DayNumber)
        {
            return 0;
        }

        if (slot.Flag == 0 || day.DayNumber > slot.Day)
        {
            slot.Day = day.DayNumber;
            slot.Flag = 1;
        }

        // A late check-in for an earlier day still fires; the ledger's key (the day) keeps it single.
        return Fire(rule, track, e, "|d:", Iso(day), day);
    }

    private int Streak(CompiledRule rule, ref Slot slot, MemberTrack track, CommunityEvent e, DateOnly day)
    {
        var k = rule.TriggerCount;
        var d = day.DayNumber;
        if (slot.Flag == 0 || d > slot.Day)
        {
            var gap = slot.Flag == 0 ? StreakWindow : d - slot.Day;
            slot.Bits = gap >= StreakWindow ? 1UL : (slot.Bits << gap) | 1UL;
            slot.Flag = gap == 1 ? checked(slot.Flag + 1) : 1;
            slot.Day = d;
            return slot.Flag % k == 0 ? Fire(rule, track, e, "|s:", Iso(day), day) : 0;
        }

        var i = slot.Day - d;
        if (i >= StreakWindow)
        {
            Statistics.TooLate++;
            return 0;
        }

        if ((slot.Bits & (1UL << i)) != 0)
        {
            return 0;
        }

        // A late check-in fills a gap: the run through it may now reach a multiple of K on later days.
        slot.Bits |= 1UL << i;
        var older = 0;
        var j = i + 1;
        while (j < StreakWindow && (slot.Bits & (1UL << j)) != 0)
        {
            older++;
            j++;
        }

        if (j == StreakWindow)
        {
            Statistics.TooLate++;
            return 0;
        }

        var appended = 0;
        long streak = older + 1;
        var x = day;
        var bit = i;
        while (true)
        {
            if (streak % k == 0)
            {
                appended += Fire(rule, track, e, "|s:", Iso(x), x);
            }

            if (bit == 0)
            {
                slot.Flag = checked((int)streak);
                break;
            }

            bit--;
            if ((slot.Bits & (1UL << bit)) == 0)
            {
                break;
            }

            streak++;
            x = x.AddDays(1);
        }

        return appended;
    }

    private int Count(CompiledRule rule, ref Slot slot, MemberTrack track, CommunityEvent e, DateOnly day)
    {
        var period = PeriodStart(day, rule.Period);
        if (!EnterPeriod(ref slot, period))
        {
            return 0;
        }

        slot.Value = checked(slot.Value + 1);
        return slot.Value == rule.TriggerCount ? Fire(rule, track, e, "|p:", PeriodKey(period, rule.Period), day) : 0;
    }

    private int OrderTotal(CompiledRule rule, ref Slot slot, MemberTrack track, CommunityEvent e, DateOnly day)
    {
        var period = PeriodStart(day, rule.Period);
        if (!EnterPeriod(ref slot, period))
        {
            return 0;
        }

        slot.Value = checked(slot.Value + (e.Amount ?? 0));
        if (slot.Flag == 0 && slot.Value >= rule.TriggerAmount)
        {
            slot.Flag = 1;
            return Fire(rule, track, e, "|p:", PeriodKey(period, rule.Period), day);
        }

        return 0;
    }

    /// <summary>Moves a period slot to <paramref name="period"/>; false when the event belongs to an earlier period (too late).</summary>
    private bool EnterPeriod(ref Slot slot, DateOnly period)
    {
        var p = period.DayNumber;
        if (slot.Day == 0 || p > slot.Day)
        {
            slot.Day = p;
            slot.Value = 0;
            slot.Flag = 0;
            return true;
        }

        if (p < slot.Day)
        {
            Statistics.TooLate++;
            return false;
        }

        return true;
    }

    private int Review(CompiledRule rule, MemberTrack track, CommunityEvent e, DateOnly day)
    {
        if (e.Type == EventType.TaskApproved)
        {
            var appended = Fire(rule, track, e, "|e:", e.Id, day);
            if (track.RejectedAfter(e.Task!, e.AtUtcTicks, e.Id) is { } rejection)
            {
                appended += Reverse(rule, e.Member, e.Id, rejection.At, rejection.Id);
            }

            return appended;
        }

        // A rejection reverses every earlier approval of the same task by the same member.
        var reversed = 0;
        foreach (var approval in track.ApprovedBefore(e.Task!, e.AtUtcTicks, e.Id))
        {
            reversed += Reverse(rule, e.Member, approval, e.At, e.Id);
        }

        return reversed;
    }

    private int Reverse(CompiledRule rule, string member, string approvalId, DateTimeOffset at, string eventId)
    {
        if (_ledger.TryReverse(GrantKey(rule.Rule.Id, member, "e:" + approvalId), at, eventId) == RewardReverseResult.Reversed)
        {
            Statistics.Reversals++;
            return 1;
        }

        return 0;
    }

    /// <summary>Appends a grant; <paramref name="unitKind"/> starts with the key's separator (<c>|d:</c>, <c>|p:</c>, ...).</summary>
    private int Fire(CompiledRule rule, MemberTrack track, CommunityEvent e, string unitKind, string unitValue, DateOnly grantDay)
    {
        var r = rule.Rule;
        var facts = _directory.Find(e.Member);
        if (rule.RoleOnlyEligibility
            ? (r.Eligibility.ExcludeStaffAndBots && facts is not null && facts.Role != MemberRole.Member)
            : !IsEligible(r.Eligibility, facts))
        {
            Statistics.Ineligible++;
            return 0;
        }

        if (rule.CachedDay != grantDay || rule.CachedRewards is null)
        {
            rule.CachedRewards = ResolveRewards(r.Rewards, grantDay);
            rule.CachedExpiry = rule.HasCoupons ? Expiry(r.Rewards, grantDay) : null;
            rule.CachedDay = grantDay;
        }

        var who = track.Key ??= MemberKey(e.Member);
        var grant = new RewardLedgerEntry
        {
            Key = string.Concat(rule.GrantPrefix, who, unitKind, unitValue),
            RuleId = r.Id,
            Member = e.Member,
            At = e.At,
            EventId = e.Id,
            Rewards = rule.CachedRewards,
            Counters = Counters(rule, who, grantDay),
            ExpiresAt = rule.CachedExpiry,
        };
        switch (_ledger.TryAppend(grant))
        {
            case RewardAppendResult.Granted:
                Statistics.Grants++;
                return 1;
            case RewardAppendResult.AlreadyGranted:
                Statistics.AlreadyGranted++;
                return 0;
            case RewardAppendResult.BudgetExhausted:
                Statistics.BudgetExhausted++;
                return 0;
            default:
                Statistics.LimitReached++;
                return 0;
        }
    }

    private static bool IsEligible(RewardEligibility rules, RewardMemberFacts? facts)
    {
        var role = facts?.Role ?? MemberRole.Member;
        if (rules.ExcludeStaffAndBots && role != MemberRole.Member)
        {
            return false;
        }

        if (rules.States.Count > 0 && !rules.States.Contains(facts?.State ?? RewardMemberState.Unknown))
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

    private RewardCounter[] Counters(CompiledRule rule, string who, DateOnly day)
    {
        if (rule.CounterCount == 0)
        {
            return [];
        }

        var l = rule.Rule.Limits;
        var prefix = rule.LimitPrefix;
        var counters = new RewardCounter[rule.CounterCount];
        var n = 0;
        if (l.PerMemberPerDay is { } perDay)
        {
            counters[n++] = new(string.Concat(prefix, who, "|d:", Iso(day)), perDay, 1, false);
        }

        if (l.PerMemberPerWeek is { } perWeek)
        {
            counters[n++] = new(string.Concat(prefix, who, "|w:", Iso(day == _day ? _weekStart : LocalCalendar.WeekStart(day))), perWeek, 1, false);
        }

        if (l.PerMemberPerMonth is { } perMonth)
        {
            counters[n++] = new(string.Concat(prefix, who, "|m:", PeriodKey(day == _day ? _monthStart : LocalCalendar.MonthStart(day), RewardPeriod.Month)), perMonth, 1, false);
        }

        if (l.PerMemberEver is { } ever)
        {
            counters[n++] = new(string.Concat(prefix, who, "|ever"), ever, 1, false);
        }

        if (l.RuleTotal is { } total)
        {
            counters[n++] = new(rule.TotalKey!, total, 1, false);
        }

        if (rule.BudgetKey is { } budgetKey)
        {
            counters[n] = new(budgetKey, rule.BudgetLimit, rule.Cost, true);
        }

        return counters;
    }

    private static IReadOnlyList<RewardSpec> ResolveRewards(IReadOnlyList<RewardSpec> rewards, DateOnly day)
    {
        RewardSpec[]? resolved = null;
        for (var i = 0; i < rewards.Count; i++)
        {
            if (rewards[i].Draw is { } draw && draw.Contains('{', StringComparison.Ordinal))
            {
                resolved ??= rewards.ToArray();
                resolved[i] = rewards[i] with { Draw = ResolveDraw(draw, day) };
            }
        }

        return resolved ?? rewards;
    }

    /// <summary>Fills <c>{date}</c>, <c>{week}</c> and <c>{month}</c> in a draw id from a local date.</summary>
    internal static string ResolveDraw(string draw, DateOnly day) =>
        draw.Replace("{date}", FormatIso(day), StringComparison.Ordinal)
            .Replace("{week}", FormatIso(LocalCalendar.WeekStart(day)), StringComparison.Ordinal)
            .Replace("{month}", day.ToString("yyyy-MM", CultureInfo.InvariantCulture), StringComparison.Ordinal);

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

    /// <summary>The idempotency key of a grant: rule, member (length-prefixed, so any member id is safe) and unit.</summary>
    internal static string GrantKey(string rule, string member, string unit) => $"{rule}|{MemberKey(member)}|{unit}";

    private static string MemberKey(string member) => member.Length.ToString(CultureInfo.InvariantCulture) + ":" + member;

    /// <summary><c>yyyy-MM-dd</c>, cached for the current day and week start.</summary>
    private string Iso(DateOnly day) =>
        day == _day ? _dayIso : day == _weekStart ? _weekIso : FormatIso(day);

    private static string FormatIso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private DateOnly PeriodStart(DateOnly day, RewardPeriod period) => period switch
    {
        RewardPeriod.Day => day,
        RewardPeriod.Week => day == _day ? _weekStart : LocalCalendar.WeekStart(day),
        RewardPeriod.Month => day == _day ? _monthStart : LocalCalendar.MonthStart(day),
        _ => DateOnly.MinValue.AddDays(1),
    };

    private string PeriodKey(DateOnly start, RewardPeriod period) => period switch
    {
        RewardPeriod.Month => start == _monthStart ? _monthKey : start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        RewardPeriod.Week => start == _weekStart ? _weekKey : "w" + Iso(start),
        _ => Iso(start),
    };

    /// <summary>A rule with its state slot, what a grant consumes, and the rewards resolved for the last grant day.</summary>
    private sealed class CompiledRule
    {
        public CompiledRule(RewardRule rule, int slot, long budgetLimit)
        {
            Rule = rule;
            Slot = slot;
            var t = rule.Trigger;
            Kind = t.Kind;
            Task = t.Task;
            TriggerCount = t.Count;
            TriggerAmount = t.Amount;
            Period = t.Period;
            FromTicks = rule.ActiveFrom is { } from ? from.UtcTicks : long.MinValue;
            ToTicks = rule.ActiveTo is { } to ? to.UtcTicks : long.MaxValue;
            GrantPrefix = rule.Id + "|";
            LimitPrefix = "limit|" + rule.Id + "|";
            TotalKey = rule.Limits.RuleTotal is null ? null : "total|" + rule.Id;
            BudgetKey = rule.Budget is { } budget ? "budget|" + budget : null;
            BudgetLimit = budgetLimit;
            var el = rule.Eligibility;
            RoleOnlyEligibility = el.States.Count == 0 && el.Channels.Count == 0 && el.JoinedAfter is null && el.JoinedBefore is null;
            var l = rule.Limits;
            CounterCount = (l.PerMemberPerDay is null ? 0 : 1) + (l.PerMemberPerWeek is null ? 0 : 1) + (l.PerMemberPerMonth is null ? 0 : 1)
                + (l.PerMemberEver is null ? 0 : 1) + (l.RuleTotal is null ? 0 : 1) + (rule.Budget is null ? 0 : 1);
            foreach (var reward in rule.Rewards)
            {
                Cost = checked(Cost + checked(reward.Quantity * reward.Cost));
                HasCoupons |= reward.Coupon?.ValidDays is not null;
            }
        }

        public RewardRule Rule { get; }

        public int Slot { get; }

        /// <summary>The trigger's kind, task, count, amount and period, copied for the hot loop.</summary>
        public RewardTriggerKind Kind { get; }

        public string? Task { get; }

        public int TriggerCount { get; }

        public long TriggerAmount { get; }

        public RewardPeriod Period { get; }

        /// <summary>The active window as UTC ticks, [from, to); open ends are the extreme values.</summary>
        public long FromTicks { get; }

        public long ToTicks { get; }

        /// <summary><c>rule|</c>: the start of the rule's grant keys.</summary>
        public string GrantPrefix { get; }

        /// <summary><c>limit|rule|</c>: the start of the rule's per-member cap counter keys.</summary>
        public string LimitPrefix { get; }

        public string? TotalKey { get; }

        public string? BudgetKey { get; }

        public long BudgetLimit { get; }

        /// <summary>Whether eligibility depends on the member's role only (no states, channels or join window).</summary>
        public bool RoleOnlyEligibility { get; }

        public int CounterCount { get; }

        /// <summary>What one grant costs the rule's budget.</summary>
        public long Cost { get; }

        public bool HasCoupons { get; }

        public DateOnly CachedDay { get; set; }

        public IReadOnlyList<RewardSpec>? CachedRewards { get; set; }

        public DateTimeOffset? CachedExpiry { get; set; }
    }

    /// <summary>
    /// Per member and stateful rule, 16 bytes: a day or period start; a flag or the streak's run length; a count, an
    /// order sum, or the streak's last 64 days as bits.
    /// </summary>
    private struct Slot
    {
        public int Day;
        public int Flag;
        public long Value;

        public ulong Bits
        {
            readonly get => unchecked((ulong)Value);
            set => Value = unchecked((long)value);
        }
    }

    private sealed class MemberTrack(int slots)
    {
        public readonly Slot[] Slots = slots == 0 ? [] : new Slot[slots];

        /// <summary>The member's part of grant keys, made on the first grant.</summary>
        public string? Key;
        private List<ReviewEvent>? _reviews;

        public void Record(CommunityEvent e) =>
            (_reviews ??= []).Add(new ReviewEvent(e.Task!, e.Type == EventType.TaskApproved, e.AtUtcTicks, e.At, e.Id));

        /// <summary>The earliest rejection of <paramref name="task"/> after (ticks, id), if any.</summary>
        public ReviewEvent? RejectedAfter(string task, long ticks, string id)
        {
            ReviewEvent? found = null;
            foreach (var r in _reviews ?? [])
            {
                if (!r.Approved && r.Task == task && Compare(r.Ticks, r.Id, ticks, id) > 0
                    && (found is null || Compare(r.Ticks, r.Id, found.Ticks, found.Id) < 0))
                {
                    found = r;
                }
            }

            return found;
        }

        /// <summary>The ids of approvals of <paramref name="task"/> before (ticks, id).</summary>
        public IEnumerable<string> ApprovedBefore(string task, long ticks, string id) =>
            (_reviews ?? []).Where(r => r.Approved && r.Task == task && Compare(r.Ticks, r.Id, ticks, id) < 0).Select(r => r.Id).ToList();

        private static int Compare(long ticksA, string idA, long ticksB, string idB) =>
            ticksA != ticksB ? ticksA.CompareTo(ticksB) : string.CompareOrdinal(idA, idB);
    }

    private sealed record ReviewEvent(string Task, bool Approved, long Ticks, DateTimeOffset At, string Id);
}
