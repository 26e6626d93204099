using System.Runtime.InteropServices;
using CommunityFunnel.Events;
using CommunityFunnel.Fingerprints;
using CommunityFunnel.Members;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The rule engine: rules indexed by the event type that can trigger them, compact per-member state (one slot per
/// stateful rule), and grants keyed deterministically. Events are applied in the order given; see
/// <see cref="RewardReplay"/> for the time-ordered replay.
/// </summary>
internal sealed class RewardEngine : IRewardEngine
{
    private const int StreakWindow = 64;

    /// <summary>Member slots come in pages of 2^<see cref="PageShift"/> members (no big array copied as members come).</summary>
    private const int PageShift = 8;

    /// <summary>Events a batch reads ahead of processing them (<see cref="ReadAhead"/>).</summary>
    private const int LookAhead = 32;

    /// <summary>One call at a time; a semaphore, since a host's ledger or directory is awaited while it is held.</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CompiledRewardRule[][] _byType;
    private readonly CompiledRewardRule[] _approvalRules;
    private readonly int _slotCount;

    /// <summary>
    /// Members by keyed 128-bit fingerprint (SipHash-2-4-128, as the lifecycle engine finds them): one probe, no string
    /// kept or compared; two members would share state only on a collision, at most n²/2^128 among n ids (see
    /// <see cref="FingerprintTable"/>).
    /// </summary>
    private readonly FingerprintTable _memberIndex = new();
    private readonly Dictionary<int, MemberReviews> _reviews = [];
    private readonly Dictionary<string, RewardBudget> _budgets = new(StringComparer.Ordinal);
    private readonly TimeZoneInfo _zone;

    /// <summary>Observes events in the directory, checks eligibility and writes to the ledger (on this thread, or behind it in <see cref="_pipeline"/>).</summary>
    private readonly RewardGrantWriter _writer;

    /// <summary>The members' slots, <see cref="_slotCount"/> per member by ordinal.</summary>
    private Slot[][] _slotPages = [];

    /// <summary>During a large batch, the queue the writer's steps go to (in order) instead of to <see cref="_writer"/>.</summary>
    private RewardGrantPipeline? _pipeline;

    /// <summary>With a host's ledger or directory, the steps of the event being processed, awaited after the rules have run.</summary>
    private readonly List<RewardGrantStep> _pending = [];

    /// <summary>While a call collects its grants: the steps go to <see cref="_pending"/> even with the in-memory ledger and directory.</summary>
    private bool _deferSteps;

    /// <summary>Per event type, the first and last slot its rules use (-1 when none): the part of a member's slots a batch reads ahead.</summary>
    private readonly (int First, int Last)[] _slotRange;

    /// <summary>Where reads made only to bring memory into the cache go, so that they are not optimised away.</summary>
    private long _touched;

    /// <summary>
    /// The engine's own counts (events, too late), added to <see cref="Statistics"/> when a call ends: during a large
    /// batch only the second thread writes <see cref="Statistics"/> (its outcomes), so no cache line goes back and
    /// forth between the cores for every event.
    /// </summary>
    private long _events;
    private long _tooLate;

    private long _dayStartTicks = long.MaxValue;
    private long _dayEndTicks = long.MinValue;
    private DateOnly _day;
    private DateOnly _weekStart;
    private DateOnly _monthStart;

    public RewardEngine(RewardRuleSet rules, TimeZoneInfo zone, IRewardLedger ledger, IMemberDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(rules);
        rules.Validate(requireRules: false);
        _zone = zone ?? throw new ArgumentNullException(nameof(zone));
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(directory);
        _writer = new RewardGrantWriter(ledger, directory, Statistics);
        foreach (var b in rules.Budgets)
        {
            _budgets.Add(b.Id, b);
        }

        var lists = new List<CompiledRewardRule>[Enum.GetValues<EventType>().Length];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = [];
        }

        var approvals = new List<CompiledRewardRule>();

        // Count rules that count the same events (type, task, period, active window) share one slot: the first of them
        // counts, the others only compare the count with their threshold (fewer slots a member, one update an event).
        var countSlots = new Dictionary<(EventType, string?, RewardPeriod, DateTimeOffset?, DateTimeOffset?), int>();
        foreach (var rule in rules.Rules)
        {
            var t = rule.Trigger;
            var slot = -1;
            var sharesSlot = false;
            if (t.Kind == RewardTriggerKind.Count)
            {
                var counted = (t.Event!.Value, t.Task, t.Period, rule.ActiveFrom, rule.ActiveTo);
                sharesSlot = countSlots.TryGetValue(counted, out slot);
                if (!sharesSlot)
                {
                    countSlots.Add(counted, slot = _slotCount++);
                }
            }
            else if (t.Kind is not (RewardTriggerKind.Submitted or RewardTriggerKind.Approved))
            {
                slot = _slotCount++;
            }

            var compiled = new CompiledRewardRule(rule, slot, rule.Budget is { } b ? _budgets[b] : null, zone) { SharesSlot = sharesSlot };
            compiled.FixedCounterFingerprints = _writer.FixedCounterFingerprints(compiled);

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
        foreach (var list in _byType)
        {
            for (var i = 0; i < list.Length; i++)
            {
                if (list[i] is not { Kind: RewardTriggerKind.Count, SharesSlot: false } head)
                {
                    continue;
                }

                var j = i + 1;
                while (j < list.Length && list[j].SharesSlot && list[j].Slot == head.Slot)
                {
                    j++;
                }

                head.Followers = list[(i + 1)..j];
            }
        }

        _slotRange = _byType.Select(l => l.Any(r => r.Slot >= 0) ? (l.Where(r => r.Slot >= 0).Min(r => r.Slot), l.Max(r => r.Slot)) : (-1, -1)).ToArray();
        _approvalRules = approvals.ToArray();
    }

    public RewardStatistics Statistics { get; } = new();

    /// <summary>The ledger when it is the library's in-memory one, else null.</summary>
    internal InMemoryRewardLedger? InMemoryLedger => _writer.InMemoryLedger;

    /// <summary>
    /// Batches from this size run the in-memory directory, eligibility and ledger on a second thread
    /// (<see cref="RewardGrantPipeline"/>); smaller ones are not worth a thread, nor is any batch on one processor.
    /// Never with a host's ledger or directory (<see cref="RewardGrantWriter.CallsNoHostCode"/>).
    /// Tests lower it to run the pipeline on small logs.
    /// </summary>
    internal int PipelineMinBatch { get; init; } = Environment.ProcessorCount > 1 ? 4096 : int.MaxValue;

    /// <summary>Batches that ran their ledger and directory steps on the second thread (for tests).</summary>
    internal int PipelinedBatches { get; private set; }

    /// <summary>Members with reward state (for memory measurements).</summary>
    internal int MemberCount => _memberIndex.Count;

    public async Task<int> ProcessAsync(CommunityEvent communityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _writer.CallsNoHostCode
                ? ProcessCore(communityEvent, _memberIndex.Fingerprint(communityEvent.Member))
                : await ProcessWithHostAsync(communityEvent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            AddCounts();
            _gate.Release();
        }
    }

    public async Task<int> ProcessWithGrantsAsync(CommunityEvent communityEvent, Func<IReadOnlyList<RewardLedgerEntry>, CancellationToken, Task> granted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        ArgumentNullException.ThrowIfNull(granted);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var grants = new List<RewardLedgerEntry>();
        try
        {
            // The steps are deferred and awaited as with a host's ledger, so the writer sees each grant's entry.
            _deferSteps = true;
            _writer.Granted = grants;
            return await ProcessWithHostAsync(communityEvent, cancellationToken, () => granted(grants, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _deferSteps = false;
            _writer.Granted = null;
            AddCounts();
            _gate.Release();
        }
    }

    public async Task<int> ProcessBatchAsync(IReadOnlyList<CommunityEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var array = events as CommunityEvent[] ?? [.. events];
        EventBatch.ThrowIfAnyNull(array, nameof(events));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer.CallsNoHostCode)
            {
                return ProcessBatchCore(array, cancellationToken);
            }

            var appended = 0;
            foreach (var e in array)
            {
                cancellationToken.ThrowIfCancellationRequested();
                appended += await ProcessWithHostAsync(e, cancellationToken).ConfigureAwait(false);
            }

            return appended;
        }
        finally
        {
            AddCounts();
            _gate.Release();
        }
    }

    /// <summary>As <see cref="ProcessAsync"/>, at once: only with the in-memory ledger and directory (see <see cref="ProcessBatch"/>).</summary>
    internal int Process(CommunityEvent communityEvent) => ProcessBatch(new ReadOnlySpan<CommunityEvent>(in communityEvent));

    /// <summary>
    /// Processes <paramref name="events"/> in order at once, as <see cref="ProcessBatchAsync"/>. Only with the
    /// in-memory ledger and directory, which call no host code: a large batch runs them on a second thread.
    /// </summary>
    /// <exception cref="InvalidOperationException">The engine writes to a host's ledger or directory.</exception>
    internal int ProcessBatch(ReadOnlySpan<CommunityEvent> events)
    {
        EventBatch.ThrowIfAnyNull(events, nameof(events));
        if (!_writer.CallsNoHostCode)
        {
            throw new InvalidOperationException("This engine writes to a host's reward ledger or member directory: use ProcessBatchAsync.");
        }

        _gate.Wait();
        try
        {
            return ProcessBatchCore(events, CancellationToken.None);
        }
        finally
        {
            AddCounts();
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs the rules for one event, then awaits the host's directory and ledger for the steps they led to, in
    /// order, then <paramref name="then"/>. When a step (or <paramref name="then"/>) fails (or is cancelled) the member's rule state is put back as it was before the event,
    /// so that the event can be processed again: the steps that did run are idempotent (the directory's by its
    /// contract, the ledger's by the grant keys).
    /// </summary>
    private async Task<int> ProcessWithHostAsync(CommunityEvent e, CancellationToken cancellationToken, Func<Task>? then = null)
    {
        var print = _memberIndex.Fingerprint(e.Member);
        var undo = Capture(e, print);
        var appended = 0;
        try
        {
            ProcessCore(e, print);
            foreach (var step in _pending)
            {
                appended += await _writer.RunAsync(step, cancellationToken).ConfigureAwait(false);
            }

            if (then is not null)
            {
                await then().ConfigureAwait(false);
            }
        }
        catch
        {
            Restore(undo);
            throw;
        }
        finally
        {
            _pending.Clear();
        }

        return appended;
    }

    /// <summary>What processing <paramref name="e"/> may change in the engine's own state, to put back after a failure.</summary>
    private Undo Capture(CommunityEvent e, (ulong Hi, ulong Lo) print)
    {
        var member = _byType[(int)e.Type].Length == 0 ? -1 : MemberOrdinal(print);
        var slots = member < 0 || _slotCount == 0 ? null : MemberSlots(member).ToArray();
        var reviews = member >= 0 && _reviews.TryGetValue(member, out var r) ? r.Count : 0;
        return new Undo(member, slots, reviews, _events, _tooLate);
    }

    private void Restore(Undo undo)
    {
        if (undo.Member >= 0)
        {
            undo.Slots?.CopyTo(MemberSlots(undo.Member));
            if (_reviews.TryGetValue(undo.Member, out var reviews))
            {
                reviews.Truncate(undo.Reviews);
            }
        }

        _events = undo.Events;
        _tooLate = undo.TooLate;
        _writer.Forget();
    }

    /// <summary>
    /// Processes a batch with the in-memory ledger and directory. Cancellation is honoured between blocks of events:
    /// the events before it are processed completely (the second thread's queue is drained first).
    /// </summary>
    private int ProcessBatchCore(ReadOnlySpan<CommunityEvent> events, CancellationToken cancellationToken)
    {
        Span<(ulong Hi, ulong Lo)> members = stackalloc (ulong, ulong)[LookAhead];

        // A large batch runs the in-memory ledger and directory on a second thread behind this one, in order; then
        // ProcessCore counts no appends and the pipeline counts them all. No host code runs on that thread.
        var pipeline = _pipeline = events.Length >= PipelineMinBatch ? new RewardGrantPipeline(_writer) : null;
        PipelinedBatches += pipeline is null ? 0 : 1;
        var appended = 0;
        try
        {
            for (var start = 0; start < events.Length; start += LookAhead)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var block = events.Slice(start, Math.Min(LookAhead, events.Length - start));
                ReadAhead(block, members);
                for (var i = 0; i < block.Length; i++)
                {
                    appended += ProcessCore(block[i], members[i]);
                }
            }
        }
        finally
        {
            _pipeline = null;
            appended += pipeline?.Complete() ?? 0;
        }

        return appended;
    }

    /// <summary>
    /// Reads what processing <paramref name="block"/> will read first (the events, the members' ids, index entries
    /// and rule slots), one kind at a time across the block, so that the cache misses of different events overlap
    /// instead of coming one after another (this pays once the members' state is far larger than the cache, and
    /// costs little below). Changes nothing: a member not yet known is simply not read ahead. Gives the members'
    /// fingerprints in <paramref name="members"/>.
    /// </summary>
    private void ReadAhead(ReadOnlySpan<CommunityEvent> block, Span<(ulong Hi, ulong Lo)> members)
    {
        Span<int> ordinals = stackalloc int[LookAhead];
        var touched = 0L;
        foreach (var e in block)
        {
            touched ^= (int)e.Type;
        }

        foreach (var e in block)
        {
            touched ^= e.Member.Length;
        }

        for (var i = 0; i < block.Length; i++)
        {
            var (hi, lo) = members[i] = _memberIndex.Fingerprint(block[i].Member);
            ordinals[i] = _memberIndex.Peek(hi, lo);
        }

        for (var i = 0; i < block.Length; i++)
        {
            var (first, last) = _slotRange[(int)block[i].Type];
            var member = ordinals[i];
            if (first < 0 || member < 0 || (member >> PageShift) >= _slotPages.Length)
            {
                continue;
            }

            var slots = MemberSlots(member);
            for (var s = first; s < last; s += 4)
            {
                touched ^= slots[s].Day; // a slot is 16 bytes: one read a cache line
            }

            touched ^= slots[last].Day;
        }

        _touched ^= touched;
    }

    /// <summary>Processes <paramref name="e"/>, whose member has the fingerprint <paramref name="memberPrint"/> in <see cref="_memberIndex"/>.</summary>
    private int ProcessCore(CommunityEvent e, (ulong Hi, ulong Lo) memberPrint)
    {
        _events++;
        Observe(e);
        var rules = _byType[(int)e.Type];
        if (rules.Length == 0)
        {
            return 0;
        }

        var member = MemberOrdinal(memberPrint);
        var ticks = e.AtUtcTicks;
        if (ticks < _dayStartTicks || ticks >= _dayEndTicks)
        {
            MoveDay(ticks);
        }

        var day = _day;
        var appended = 0;
        var slots = _slotCount == 0 ? [] : MemberSlots(member);
        for (var r = 0; r < rules.Length; r++)
        {
            var rule = rules[r];
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
                    appended += Checkin(rule, ref slots[rule.Slot], e, day);
                    break;
                case RewardTriggerKind.Streak:
                    appended += Streak(rule, ref slots[rule.Slot], e, day);
                    break;
                case RewardTriggerKind.Submitted:
                    appended += Fire(rule, e, RewardGrantUnit.Event, 0, day);
                    break;
                case RewardTriggerKind.Approved:
                    appended += Review(rule, member, e, day);
                    break;
                case RewardTriggerKind.Count:
                    appended += Count(rule, ref slots[rule.Slot], e, day);
                    r += rule.Followers.Length; // Count has applied them
                    break;
                case RewardTriggerKind.OrderTotal:
                    appended += OrderTotal(rule, ref slots[rule.Slot], e, day);
                    break;
                case RewardTriggerKind.FirstOrder:
                    ref var slot = ref slots[rule.Slot];
                    if (slot.Flag == 0)
                    {
                        slot.Flag = 1;
                        appended += Fire(rule, e, RewardGrantUnit.First, 0, day);
                    }

                    break;
            }
        }

        if (e.Type == EventType.TaskApproved || e.Type == EventType.TaskRejected)
        {
            ref var reviews = ref CollectionsMarshal.GetValueRefOrAddDefault(_reviews, member, out _);
            (reviews ??= new MemberReviews()).Record(e);
        }

        return appended;
    }

    private void AddCounts()
    {
        Statistics.Events += _events;
        Statistics.TooLate += _tooLate;
        _events = 0;
        _tooLate = 0;
    }

    /// <summary>The member's ordinal, adding the member (with zeroed slots) when new.</summary>
    private int MemberOrdinal((ulong Hi, ulong Lo) member)
    {
        var ordinal = _memberIndex.GetOrAdd(member.Hi, member.Lo, _memberIndex.Count, out var added);
        var page = ordinal >> PageShift;
        if (added && _slotCount > 0 && page == _slotPages.Length)
        {
            Array.Resize(ref _slotPages, page + 1);
            _slotPages[page] = new Slot[_slotCount << PageShift];
        }

        return ordinal;
    }

    /// <summary>The slots of the member with <paramref name="ordinal"/> (there are some: <see cref="_slotCount"/> is not 0).</summary>
    private Span<Slot> MemberSlots(int ordinal) =>
        _slotPages[ordinal >> PageShift].AsSpan((ordinal & ((1 << PageShift) - 1)) * _slotCount, _slotCount);

    private void MoveDay(long ticks)
    {
        _day = LocalCalendar.LocalDate(ticks, _zone);
        _dayStartTicks = LocalCalendar.StartOfDay(_day, _zone).UtcTicks;
        _dayEndTicks = LocalCalendar.StartOfDay(_day.AddDays(1), _zone).UtcTicks;
        _weekStart = LocalCalendar.WeekStart(_day);
        _monthStart = LocalCalendar.MonthStart(_day);
    }

    private int Checkin(CompiledRewardRule rule, ref Slot slot, CommunityEvent e, DateOnly day)
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
        return Fire(rule, e, RewardGrantUnit.Day, day.DayNumber, day);
    }

    private int Streak(CompiledRewardRule rule, ref Slot slot, CommunityEvent e, DateOnly day)
    {
        var k = rule.TriggerCount;
        var d = day.DayNumber;
        if (slot.Flag == 0 || d > slot.Day)
        {
            var gap = slot.Flag == 0 ? StreakWindow : d - slot.Day;
            slot.Bits = gap >= StreakWindow ? 1UL : (slot.Bits << gap) | 1UL;
            slot.Flag = gap == 1 ? checked(slot.Flag + 1) : 1;
            slot.Day = d;
            return slot.Flag % k == 0 ? Fire(rule, e, RewardGrantUnit.Streak, day.DayNumber, day) : 0;
        }

        var i = slot.Day - d;
        if (i >= StreakWindow)
        {
            _tooLate++;
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
            _tooLate++;
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
                appended += Fire(rule, e, RewardGrantUnit.Streak, x.DayNumber, x);
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

    private int Count(CompiledRewardRule rule, ref Slot slot, CommunityEvent e, DateOnly day)
    {
        var period = PeriodStart(day, rule.Period);
        if (rule.SharesSlot)
        {
            // An earlier rule in this list has moved the slot to the member's latest period and counted the event.
            if (period.DayNumber < slot.Day)
            {
                _tooLate++;
                return 0;
            }
        }
        else
        {
            if (!EnterPeriod(ref slot, period))
            {
                _tooLate += rule.Followers.Length; // each follower finds the event too late as well
                return 0;
            }

            slot.Value = checked(slot.Value + 1);
        }

        var appended = slot.Value == rule.TriggerCount ? Fire(rule, e, RewardGrantUnit.Period, period.DayNumber, day) : 0;

        // The followers count the same events in the same window and period: only their thresholds differ.
        foreach (var follower in rule.Followers)
        {
            if (slot.Value == follower.TriggerCount)
            {
                appended += Fire(follower, e, RewardGrantUnit.Period, period.DayNumber, day);
            }
        }

        return appended;
    }

    private int OrderTotal(CompiledRewardRule rule, ref Slot slot, CommunityEvent e, DateOnly day)
    {
        var period = PeriodStart(day, rule.Period);
        if (!EnterPeriod(ref slot, period))
        {
            return 0;
        }

        // Saturating: the total only meets a threshold (at most long.MaxValue), so stopping there loses nothing,
        // and no run of orders, however large, can overflow it.
        var amount = e.Amount ?? 0;
        slot.Value = amount > long.MaxValue - slot.Value ? long.MaxValue : slot.Value + amount;
        if (slot.Flag == 0 && slot.Value >= rule.TriggerAmount)
        {
            slot.Flag = 1;
            return Fire(rule, e, RewardGrantUnit.Period, period.DayNumber, day);
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
            _tooLate++;
            return false;
        }

        return true;
    }

    private int Review(CompiledRewardRule rule, int member, CommunityEvent e, DateOnly day)
    {
        var track = _reviews.GetValueOrDefault(member);
        if (e.Type == EventType.TaskApproved)
        {
            var appended = Fire(rule, e, RewardGrantUnit.Event, 0, day);
            if (track?.RejectedAfter(e.Task!, e.AtUtcTicks, e.Id) is { } rejection)
            {
                appended += Reverse(rule, e.Member, e.Id, rejection.At, rejection.Id);
            }

            return appended;
        }

        // A rejection reverses every earlier approval of the same task by the same member.
        var reversed = 0;
        foreach (var approval in track?.ApprovedBefore(e.Task!, e.AtUtcTicks, e.Id) ?? [])
        {
            reversed += Reverse(rule, e.Member, approval, e.At, e.Id);
        }

        return reversed;
    }

    private int Reverse(CompiledRewardRule rule, string member, string approvalId, DateTimeOffset at, string eventId) =>
        Run(RewardGrantStep.Reverse(new CompactRewardGrant(rule, member, approvalId, at, RewardGrantUnit.Event, 0, 0), eventId));

    /// <summary>
    /// Lets the directory see the event: the in-memory one now; during a large batch queued when it reads events of
    /// its type; a host's one after the rules (<see cref="_pending"/>).
    /// </summary>
    private void Observe(CommunityEvent e)
    {
        if (!_writer.CallsNoHostCode || _deferSteps)
        {
            _pending.Add(RewardGrantStep.Observe(e));
        }
        else if (_pipeline is null)
        {
            _writer.Observe(e);
        }
        else if (_writer.Observes(e.Type))
        {
            _pipeline.Add(RewardGrantStep.Observe(e));
        }
    }

    /// <summary>
    /// Runs a step of the writer now (1 when it appended a ledger entry), or queues it (0): during a large batch for
    /// the second thread, with a host's ledger or directory for <see cref="ProcessWithHostAsync"/>.
    /// </summary>
    private int Run(in RewardGrantStep step)
    {
        if (!_writer.CallsNoHostCode || _deferSteps)
        {
            _pending.Add(step);
            return 0;
        }

        if (_pipeline is { } pipeline)
        {
            pipeline.Add(step);
            return 0;
        }

        return _writer.Run(step);
    }

    /// <summary>Grants <paramref name="rule"/> for <paramref name="e"/> (the key names <paramref name="unit"/>) if the member is eligible and the ledger agrees.</summary>
    private int Fire(CompiledRewardRule rule, CommunityEvent e, RewardGrantUnit unit, int unitDay, DateOnly grantDay) =>
        Run(RewardGrantStep.Append(new CompactRewardGrant(rule, e.Member, e.Id, e.At, unit, unitDay, grantDay.DayNumber)));

    /// <summary>The idempotency key of a grant: rule, member (length-prefixed, so any member id is safe) and unit.</summary>
    internal static string GrantKey(string rule, string member, string unit)
    {
        var w = new RewardKeyWriter(new char[rule.Length + member.Length + unit.Length + 16]);
        w.Append(rule);
        w.Append('|');
        w.AppendMember(member);
        w.Append('|');
        w.Append(unit);
        return w.Written.ToString();
    }

    private DateOnly PeriodStart(DateOnly day, RewardPeriod period) => period switch
    {
        RewardPeriod.Day => day,
        RewardPeriod.Week => day == _day ? _weekStart : LocalCalendar.WeekStart(day),
        RewardPeriod.Month => day == _day ? _monthStart : LocalCalendar.MonthStart(day),
        _ => DateOnly.MinValue.AddDays(1), // Ever: one period from the start of time (day number 1, so a slot's 0 stays "empty")
    };

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

    /// <summary>A member's approvals and rejections, for reversals whatever their arrival order.</summary>
    private sealed class MemberReviews
    {
        private readonly List<ReviewEvent> _reviews = [];

        public int Count => _reviews.Count;

        /// <summary>Forgets the reviews recorded after the first <paramref name="count"/> (an event that failed is undone).</summary>
        public void Truncate(int count) => _reviews.RemoveRange(count, _reviews.Count - count);

        public void Record(CommunityEvent e) =>
            _reviews.Add(new ReviewEvent(e.Task!, e.Type == EventType.TaskApproved, e.AtUtcTicks, e.At, e.Id));

        /// <summary>The earliest rejection of <paramref name="task"/> after (ticks, id), if any.</summary>
        public ReviewEvent? RejectedAfter(string task, long ticks, string id)
        {
            ReviewEvent? found = null;
            foreach (var r in _reviews)
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
            _reviews.Where(r => r.Approved && r.Task == task && Compare(r.Ticks, r.Id, ticks, id) < 0).Select(r => r.Id).ToList();

        private static int Compare(long ticksA, string idA, long ticksB, string idB) =>
            ticksA != ticksB ? ticksA.CompareTo(ticksB) : string.CompareOrdinal(idA, idB);
    }

    /// <summary>The engine's state before an event: the member's slots and review count, the engine's counts.</summary>
    private readonly record struct Undo(int Member, Slot[]? Slots, int Reviews, long Events, long TooLate);

    private sealed record ReviewEvent(string Task, bool Approved, long Ticks, DateTimeOffset At, string Id);
}
