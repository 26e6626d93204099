using System.Globalization;
using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>What takes a transition: an event, as the rules read it, or a deadline.</summary>
internal enum LifecycleTrigger : byte
{
    /// <summary>A <c>joined</c> event.</summary>
    Joined,

    /// <summary>A <c>left</c> event.</summary>
    Left,

    /// <summary>A <c>removed</c> event.</summary>
    Removed,

    /// <summary>Any other event of a member never seen: they joined before tracking.</summary>
    OtherEvent,

    /// <summary>A <c>nickname_changed</c> whose nickname matches the pattern, ending onboarding.</summary>
    NicknameMatched,

    /// <summary>An event after which nothing is overdue any more.</summary>
    RequirementMet,

    /// <summary>An event after which a requirement is overdue (a nickname that stops matching, a task rejected past its deadline).</summary>
    RequirementOverdue,

    /// <summary>The onboarding grace ended without a matching nickname.</summary>
    DeadlineNickname,

    /// <summary>A required task's deadline passed unmet (the guard names the task).</summary>
    DeadlineTask,

    /// <summary>The speak deadline passed.</summary>
    DeadlineInactive,

    /// <summary>The warning grace ended.</summary>
    DeadlineRemoval,
}

/// <summary>Which of the transitions of one (state, trigger) applies: the condition the core found true.</summary>
internal enum LifecycleGuard : byte
{
    /// <summary>The only transition of its (state, trigger).</summary>
    None,

    /// <summary>A join of staff, a bot or an allow-listed member.</summary>
    Protected,

    /// <summary>A join after which the nickname follows the pattern (or there is none to follow).</summary>
    NicknameOk,

    /// <summary>A join after which the nickname still has to be set.</summary>
    NicknameRequired,

    /// <summary>A join of a removed member while the rejoin ban holds.</summary>
    Banned,

    /// <summary>At the removal deadline, a requirement is still overdue.</summary>
    StillOverdue,

    /// <summary>At the removal deadline, nothing is overdue any more.</summary>
    NothingOverdue,

    /// <summary>The first required task; task <c>i</c> is <c>Task0 + i</c>.</summary>
    Task0,
}

/// <summary>
/// The lifecycle's transitions as data, once per policy: for each (state or "first seen", trigger, guard) the
/// state it leads to. <see cref="LifecycleCore"/> looks up every transition it takes here, and
/// <see cref="LifecycleGraph"/> renders these rows, so the diagram is what the machine does. Lookups are array
/// reads (the table is indexed by state × trigger × guard): nothing is allocated.
/// </summary>
internal sealed class LifecycleTable
{
    private const int States = 6; // "first seen", then the five states
    private const int Triggers = (int)LifecycleTrigger.DeadlineRemoval + 1;
    private const int Guards = (int)LifecycleGuard.Task0 + CompiledPolicy.MaxTasks;

    private static readonly EventType[] AnyEventOfAMember =
    [
        EventType.Joined, EventType.Message, EventType.Checkin, EventType.TaskSubmitted, EventType.TaskApproved,
        EventType.TaskRejected, EventType.LotteryEntered, EventType.Order, EventType.NicknameChanged,
    ];

    private static readonly EventType[] OtherEvents = AnyEventOfAMember[1..];

    /// <summary>Per (from, trigger, guard): 0 for no transition, else the state it leads to plus one.</summary>
    private readonly byte[] _to = new byte[States * Triggers * Guards];

    /// <summary>Per (from, trigger): whether any guard of it has a transition.</summary>
    private readonly bool[] _any = new bool[States * Triggers];

    private readonly List<Row> _rows = [];

    private LifecycleTable()
    {
    }

    /// <summary>Every transition, in the order diagrams list them (by the state it leaves).</summary>
    public IReadOnlyList<Row> Rows => _rows;

    /// <summary>The table of <paramref name="policy"/>: the rows its rules can take.</summary>
    public static LifecycleTable For(LifecyclePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var table = new LifecycleTable();
        var pattern = policy.NicknamePattern is not null;
        var tasks = policy.RequiredTasks;
        var rejoinActive = policy.RejoinAfterLeaving == RejoinMode.Active;
        var banForever = policy.RejoinBan is null;
        var banned = policy.RejoinBan is not { } ban || ban > TimeSpan.Zero;

        // First seen.
        if (pattern)
        {
            table.Add(null, LifecycleTrigger.Joined, LifecycleGuard.NicknameRequired, MemberState.Onboarding, "joined");
        }
        else
        {
            table.Add(null, LifecycleTrigger.Joined, LifecycleGuard.NicknameOk, MemberState.Active, "joined");
        }

        table.Add(null, LifecycleTrigger.Joined, LifecycleGuard.Protected, MemberState.Active, "joined (staff, bot or allow-listed)");
        table.Add(null, LifecycleTrigger.OtherEvent, LifecycleGuard.None, MemberState.Active, "other event (joined before tracking)");
        table.Add(null, LifecycleTrigger.Left, LifecycleGuard.None, MemberState.Left, "left (joined before tracking)");
        table.Add(null, LifecycleTrigger.Removed, LifecycleGuard.None, MemberState.Removed, "removed (joined before tracking)");

        // Present: onboarding and active.
        foreach (var from in (ReadOnlySpan<MemberState>)[MemberState.Onboarding, MemberState.Active])
        {
            if (from == MemberState.Onboarding)
            {
                table.Add(from, LifecycleTrigger.NicknameMatched, LifecycleGuard.None, MemberState.Active, "nickname_changed (matches)");
            }

            if (pattern)
            {
                table.Add(from, LifecycleTrigger.DeadlineNickname, LifecycleGuard.None, MemberState.AtRisk, $"deadline: nickname ({Duration(policy.OnboardingGrace)})");
            }

            for (var i = 0; i < tasks.Count; i++)
            {
                // Onboarding ends at the nickname deadline (a tie goes to the nickname): a task due no earlier is never overdue then.
                var shown = from == MemberState.Active || tasks[i].Within < policy.OnboardingGrace;
                table.Add(from, LifecycleTrigger.DeadlineTask, (LifecycleGuard)((int)LifecycleGuard.Task0 + i), MemberState.AtRisk, $"deadline: task {tasks[i].Id} ({Duration(tasks[i].Within)})", shown: shown);
            }

            if (policy.SpeakEveryDays is { } days)
            {
                table.Add(from, LifecycleTrigger.DeadlineInactive, LifecycleGuard.None, MemberState.AtRisk, $"deadline: inactive ({days.ToString(CultureInfo.InvariantCulture)}d)");
            }

            // Onboarding, the nickname already does not match; only a rejection can make something overdue at once.
            var nickname = pattern && from == MemberState.Active;
            if (nickname || tasks.Count > 0)
            {
                var label = string.Join(" or ", new[] { nickname ? "nickname_changed (no longer matches)" : null, tasks.Count > 0 ? "task_rejected (past deadline)" : null }.OfType<string>());
                EventType[] events = nickname && tasks.Count > 0 ? [EventType.NicknameChanged, EventType.TaskRejected] : nickname ? [EventType.NicknameChanged] : [EventType.TaskRejected];
                var shown = nickname || tasks.Any(t => t.Within < policy.OnboardingGrace);
                table.Add(from, LifecycleTrigger.RequirementOverdue, LifecycleGuard.None, MemberState.AtRisk, label, events, shown);
            }

            table.Add(from, LifecycleTrigger.Left, LifecycleGuard.None, MemberState.Left, "left");
            table.Add(from, LifecycleTrigger.Removed, LifecycleGuard.None, MemberState.Removed, "removed");
        }

        // At risk.
        var warning = Duration(policy.WarningGrace);
        table.Add(MemberState.AtRisk, LifecycleTrigger.RequirementMet, LifecycleGuard.None, MemberState.Active, "requirement met");
        table.Add(MemberState.AtRisk, LifecycleTrigger.DeadlineRemoval, LifecycleGuard.StillOverdue, MemberState.Removed, $"deadline: warning ({warning}): removal");
        // Every event in order resolves a risk that is no longer due; only a late activity (which moves the speak deadline
        // without a transition) can leave nothing overdue when the warning grace ends.
        table.Add(MemberState.AtRisk, LifecycleTrigger.DeadlineRemoval, LifecycleGuard.NothingOverdue, MemberState.Active, $"deadline: warning ({warning}), nothing overdue any more", shown: policy.SpeakEveryDays is not null);
        table.Add(MemberState.AtRisk, LifecycleTrigger.Left, LifecycleGuard.None, MemberState.Left, "left");
        table.Add(MemberState.AtRisk, LifecycleTrigger.Removed, LifecycleGuard.None, MemberState.Removed, "removed");

        // Left.
        table.Add(MemberState.Left, LifecycleTrigger.Removed, LifecycleGuard.None, MemberState.Removed, "removed");
        if (pattern)
        {
            table.Add(MemberState.Left, LifecycleTrigger.Joined, LifecycleGuard.NicknameRequired, MemberState.Onboarding, rejoinActive ? "joined (rejoin, nickname not in the format)" : "joined (rejoin)");
        }

        if (!pattern || rejoinActive)
        {
            table.Add(MemberState.Left, LifecycleTrigger.Joined, LifecycleGuard.NicknameOk, MemberState.Active, "joined (rejoin)");
        }

        table.Add(MemberState.Left, LifecycleTrigger.Joined, LifecycleGuard.Protected, MemberState.Active, "joined (staff, bot or allow-listed)");

        // Removed.
        if (banned)
        {
            var text = policy.RejoinBan is { } b ? $"within {Duration(b)}" : "forever";
            table.Add(MemberState.Removed, LifecycleTrigger.Joined, LifecycleGuard.Banned, MemberState.Removed, $"joined (banned {text}): removal");
        }

        if (!banForever)
        {
            var label = banned ? "joined (ban over)" : "joined (rejoin)";
            if (pattern)
            {
                table.Add(MemberState.Removed, LifecycleTrigger.Joined, LifecycleGuard.NicknameRequired, MemberState.Onboarding, label);
            }
            else
            {
                table.Add(MemberState.Removed, LifecycleTrigger.Joined, LifecycleGuard.NicknameOk, MemberState.Active, label);
            }
        }

        table.Add(MemberState.Removed, LifecycleTrigger.Joined, LifecycleGuard.Protected, MemberState.Active, "joined (staff, bot or allow-listed)");
        return table;
    }

    /// <summary>The state the transition of (<paramref name="from"/>, <paramref name="trigger"/>, <paramref name="guard"/>) leads to, if the table has one.</summary>
    public bool TryTake(MemberState? from, LifecycleTrigger trigger, LifecycleGuard guard, out MemberState to)
    {
        var cell = _to[Index(from, trigger, guard)];
        if (cell == 0)
        {
            to = default;
            return false;
        }

        to = (MemberState)(cell - 1);
        return true;
    }

    /// <summary>As <see cref="TryTake"/> where the rules have decided that the member moves: a missing row is a defect of the table.</summary>
    /// <exception cref="InvalidOperationException">The table has no such transition.</exception>
    public MemberState Take(MemberState? from, LifecycleTrigger trigger, LifecycleGuard guard) =>
        TryTake(from, trigger, guard, out var to) ? to : throw new InvalidOperationException(
            $"The lifecycle table has no transition from {(from is { } f ? LifecycleNames.State(f) : "first seen")} on {trigger} ({guard}).");

    /// <summary>Whether (<paramref name="from"/>, <paramref name="trigger"/>) has a transition under any guard.</summary>
    public bool Permits(MemberState? from, LifecycleTrigger trigger) => _any[(StateIndex(from) * Triggers) + (int)trigger];

    /// <summary>The trigger of a deadline reminder for <paramref name="reason"/>.</summary>
    public static LifecycleTrigger Deadline(LifecycleReason reason) => reason switch
    {
        LifecycleReason.Nickname => LifecycleTrigger.DeadlineNickname,
        LifecycleReason.Inactive => LifecycleTrigger.DeadlineInactive,
        _ => LifecycleTrigger.DeadlineTask,
    };

    /// <summary>The guard naming required task <paramref name="task"/> (none for -1).</summary>
    public static LifecycleGuard Task(int task) => task < 0 ? LifecycleGuard.None : (LifecycleGuard)((int)LifecycleGuard.Task0 + task);

    /// <summary>A duration as <c>3d</c>, <c>48h</c>, <c>90m</c> or <c>45s</c>.</summary>
    internal static string Duration(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerDay == 0 && value.TotalDays >= 3)
        {
            return ((long)value.TotalDays).ToString(CultureInfo.InvariantCulture) + "d";
        }

        if (value.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return ((long)value.TotalHours).ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (value.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return ((long)value.TotalMinutes).ToString(CultureInfo.InvariantCulture) + "m";
        }

        return ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
    }

    private static int StateIndex(MemberState? from) => from is { } f ? (int)f + 1 : 0;

    private static int Index(MemberState? from, LifecycleTrigger trigger, LifecycleGuard guard) =>
        (((StateIndex(from) * Triggers) + (int)trigger) * Guards) + (int)guard;

    private void Add(MemberState? from, LifecycleTrigger trigger, LifecycleGuard guard, MemberState to, string label, EventType[]? events = null, bool shown = true)
    {
        var index = Index(from, trigger, guard);
        if (_to[index] != 0)
        {
            throw new InvalidOperationException($"Two lifecycle transitions for {from} on {trigger} ({guard}).");
        }

        _to[index] = (byte)(to + 1);
        _any[(StateIndex(from) * Triggers) + (int)trigger] = true;
        _rows.Add(new Row(from, trigger, guard, to, label, events ?? EventsOf(trigger), DeadlineOf(trigger), shown));
    }

    private static EventType[] EventsOf(LifecycleTrigger trigger) => trigger switch
    {
        LifecycleTrigger.Joined => [EventType.Joined],
        LifecycleTrigger.Left => [EventType.Left],
        LifecycleTrigger.Removed => [EventType.Removed],
        LifecycleTrigger.OtherEvent => OtherEvents,
        LifecycleTrigger.NicknameMatched => [EventType.NicknameChanged],
        LifecycleTrigger.RequirementMet => AnyEventOfAMember,
        _ => [],
    };

    private static string[] DeadlineOf(LifecycleTrigger trigger) => trigger switch
    {
        LifecycleTrigger.DeadlineNickname => ["nickname"],
        LifecycleTrigger.DeadlineTask => ["task_overdue", "task_rejected"],
        LifecycleTrigger.DeadlineInactive => ["inactive"],
        LifecycleTrigger.DeadlineRemoval => ["removal"],
        _ => [],
    };

    /// <summary>
    /// One transition: from a state (or first seen) on a trigger under a guard, to a state; with its diagram label
    /// and what takes it. <see cref="Shown"/> is false for a row the policy's rules make unreachable (a task
    /// deadline while onboarding when the nickname deadline always comes first; nothing overdue at the end of the
    /// warning grace without a speak rule): the core keeps it for a record saved under another policy, the graph
    /// leaves it out.
    /// </summary>
    internal readonly record struct Row(
        MemberState? From,
        LifecycleTrigger Trigger,
        LifecycleGuard Guard,
        MemberState To,
        string Label,
        IReadOnlyList<EventType> Events,
        IReadOnlyList<string> Deadlines,
        bool Shown);
}
