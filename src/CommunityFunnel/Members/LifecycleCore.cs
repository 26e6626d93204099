using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>
/// The lifecycle as a pure function: (member state, event or deadline, policy) → (new state, actions, transitions).
/// Decisions go to a <see cref="LifecycleOutput"/>; nothing is allocated on the steady-state path (an activity
/// event of a member in good standing).
/// </summary>
internal static class LifecycleCore
{
    /// <summary>
    /// Applies an event. <paramref name="exists"/> is false for a member never seen (then <paramref name="m"/> is
    /// default). Returns false when the event was already applied (same id at the member's watermark): nothing changes.
    /// </summary>
    public static bool Apply(ref MemberData m, bool exists, in LifecycleEvent e, CompiledPolicy p, LifecycleOutput o)
    {
        if (!exists)
        {
            Create(ref m, e, p, o);
            if (e.Type is EventType.Joined or EventType.Left or EventType.Removed)
            {
                m.NextDeadline = NextDeadline(ref m, p);
                return true;
            }
        }
        else if (e.At < m.Watermark)
        {
            // An old event never undoes a transition, but still counts as activity, and an old join may be the
            // member's first (min/max: applying it twice is harmless).
            if (QualifyingActivity.IsDefault(e.Type))
            {
                OldActivity(ref m, e.At, e.Type == EventType.Order, p);
            }
            else if (e.Type == EventType.Joined)
            {
                FirstJoin(ref m, e.At, e.Role, p);
            }

            return true;
        }
        else if (e.At == m.Watermark && m.SeenAtWatermark(e.Id))
        {
            return false;
        }
        else
        {
            FireDue(ref m, e.At, p, o);
        }

        m.Mark(e.At, e.Id);
        var reevaluate = true;
        var created = !exists;
        switch (e.Type)
        {
            case EventType.Joined:
                FirstJoin(ref m, e.At, e.Role, p);
                Join(ref m, e, p, o);
                break;
            case EventType.Left:
                if (p.Table.TryTake(m.State, LifecycleTrigger.Left, LifecycleGuard.None, out var left))
                {
                    Move(ref m, left, e.Id, e.At, o);
                }

                break;
            case EventType.Removed:
                if (p.Table.TryTake(m.State, LifecycleTrigger.Removed, LifecycleGuard.None, out var removed))
                {
                    Move(ref m, removed, e.Id, e.At, o);
                    m.RemovedAt = e.At;
                }

                break;
            case EventType.NicknameChanged:
                Nickname(ref m, e, p, o);
                break;
            case EventType.TaskSubmitted:
                Activity(ref m, e.At, isOrder: false, p);
                SetTask(ref m, p.TaskIndex(e.Task), MemberTaskStatus.Submitted);
                break;
            case EventType.TaskApproved:
                SetTask(ref m, p.TaskIndex(e.Task), MemberTaskStatus.Approved);
                break;
            case EventType.TaskRejected:
                Rejected(ref m, e, p, o);
                break;
            default:
                if (QualifyingActivity.IsDefault(e.Type))
                {
                    Activity(ref m, e.At, e.Type == EventType.Order, p);

                    // Activity can only resolve a risk; in good standing nothing can fall due because of it.
                    reevaluate = created || m.State == MemberState.AtRisk;
                }

                break;
        }

        if (reevaluate)
        {
            Reevaluate(ref m, e.At, e.Id, p, o);
            m.NextDeadline = NextDeadline(ref m, p);
        }

        return true;
    }

    /// <summary>Processes every deadline of the member due at or before <paramref name="now"/>, in time order.</summary>
    public static void FireDue(ref MemberData m, long now, CompiledPolicy p, LifecycleOutput o)
    {
        while (m.NextDeadline != 0 && m.NextDeadline <= now)
        {
            var due = m.NextDeadline;
            Check(ref m, due, p, o);
            if (m.NextDeadline != 0 && m.NextDeadline <= due)
            {
                throw new InvalidOperationException($"Lifecycle deadline did not advance past {new DateTimeOffset(due, TimeSpan.Zero):O}.");
            }
        }
    }

    /// <summary>Looks at the member at its next deadline (which must be set): one step, for the global deadline queue.</summary>
    public static void CheckDue(ref MemberData m, CompiledPolicy p, LifecycleOutput o)
    {
        var due = m.NextDeadline;
        Check(ref m, due, p, o);
        if (m.NextDeadline != 0 && m.NextDeadline <= due)
        {
            throw new InvalidOperationException($"Lifecycle deadline did not advance past {new DateTimeOffset(due, TimeSpan.Zero):O}.");
        }
    }

    /// <summary>Turns a decision into the public action record.</summary>
    public static MemberAction ToAction(in PendingAction a, string group, string member, CompiledPolicy p) => new(
        a.Kind,
        group,
        member,
        new DateTimeOffset(a.At, TimeSpan.Zero),
        a.Reason,
        a.Task >= 0 && a.Task < p.TaskIds.Length ? p.TaskIds[a.Task] : null,
        a.Deadline == 0 ? null : new DateTimeOffset(a.Deadline, TimeSpan.Zero),
        a.Kind == MemberActionKind.Welcome ? p.Rules : null);

    /// <summary>Looks at the member at deadline <paramref name="d"/>: reminds, removes, or just finds the true next deadline.</summary>
    private static void Check(ref MemberData m, long d, CompiledPolicy p, LifecycleOutput o)
    {
        if (m.State == MemberState.AtRisk)
        {
            if (d >= m.RemovalDeadline)
            {
                var reason = Overdue(ref m, d, p, out var task);
                m.Mark(d, null);
                var to = p.Table.Take(m.State, LifecycleTrigger.DeadlineRemoval, reason != LifecycleReason.None ? LifecycleGuard.StillOverdue : LifecycleGuard.NothingOverdue);
                o.Add(new PendingTransition(m.State, to, null, LifecycleReason.None, d));
                if (to == MemberState.Removed)
                {
                    o.Add(new PendingAction(MemberActionKind.Removal, reason, task, d, 0));
                    m.RemovedAt = d;
                }

                m.State = to;

                m.RiskReason = LifecycleReason.None;
                m.RiskTask = -1;
                m.RemovalDeadline = 0;
            }
        }
        else if (m.State is MemberState.Onboarding or MemberState.Active)
        {
            var reason = Overdue(ref m, d, p, out var task);
            if (reason != LifecycleReason.None)
            {
                m.Mark(d, null);
                var to = p.Table.Take(m.State, LifecycleTable.Deadline(reason), LifecycleTable.Task(task));
                o.Add(new PendingTransition(m.State, to, null, reason, d));
                Warn(ref m, to, reason, task, d, p, o);
            }
        }

        m.NextDeadline = NextDeadline(ref m, p);
    }

    private static void Create(ref MemberData m, in LifecycleEvent e, CompiledPolicy p, LifecycleOutput o)
    {
        var policyIndex = m.PolicyIndex; // the engine's, kept
        m = default;
        m.PolicyIndex = policyIndex;
        m.RiskTask = -1;
        m.FirstSeenAt = e.At;
        if (e.Type == EventType.Joined)
        {
            // Join handles state and the welcome; start from Left so the join reads as an arrival.
            m.State = MemberState.Left;
            m.Mark(e.At, e.Id);
            FirstJoin(ref m, e.At, e.Role, p);
            JoinCore(ref m, e, p, o, from: null);
            return;
        }

        m.Flags = MemberFlags.JoinedBeforeTracking | MemberFlags.NicknameOk;
        if (p.IsAllowListed(e.Member))
        {
            m.Flags |= MemberFlags.Protected;
        }

        m.State = p.Table.Take(null, e.Type switch
        {
            EventType.Left => LifecycleTrigger.Left,
            EventType.Removed => LifecycleTrigger.Removed,
            _ => LifecycleTrigger.OtherEvent,
        }, LifecycleGuard.None);
        if (m.State == MemberState.Removed)
        {
            m.RemovedAt = e.At;
        }

        if (e.Type is EventType.Left or EventType.Removed)
        {
            m.Mark(e.At, e.Id);
        }

        o.Add(new PendingTransition(null, m.State, e.Id, LifecycleReason.None, e.At));
    }

    private static void Join(ref MemberData m, in LifecycleEvent e, CompiledPolicy p, LifecycleOutput o)
    {
        if (!p.Table.Permits(m.State, LifecycleTrigger.Joined))
        {
            return; // present already: the join changes nothing
        }

        var isProtected = e.Role != MemberRole.Member || p.IsAllowListed(e.Member);
        if (m.State == MemberState.Removed && !isProtected && IsBanned(ref m, e.At, p))
        {
            var to = p.Table.Take(MemberState.Removed, LifecycleTrigger.Joined, LifecycleGuard.Banned);
            o.Add(new PendingTransition(MemberState.Removed, to, e.Id, LifecycleReason.None, e.At));
            o.Add(new PendingAction(MemberActionKind.Removal, LifecycleReason.RejoinBanned, -1, e.At, 0));
            m.State = to;
            return;
        }

        JoinCore(ref m, e, p, o, m.State);
    }

    private static bool IsBanned(ref MemberData m, long at, CompiledPolicy p) =>
        p.BanForever || (p.BanTicks > 0 && at - m.RemovedAt < p.BanTicks);

    private static void JoinCore(ref MemberData m, in LifecycleEvent e, CompiledPolicy p, LifecycleOutput o, MemberState? from)
    {
        var staff = e.Role != MemberRole.Member;
        var isProtected = staff || p.IsAllowListed(e.Member);
        m.Flags &= ~MemberFlags.Protected;
        if (isProtected)
        {
            m.Flags |= MemberFlags.Protected;
        }

        var restart = !(from == MemberState.Left && p.RejoinMode == RejoinMode.Active);
        m.LastJoinAt = e.At;
        m.RiskReason = LifecycleReason.None;
        m.RiskTask = -1;
        m.RemovalDeadline = 0;
        if (restart)
        {
            m.TasksSubmitted = 0;
            m.TasksApproved = 0;
            m.TasksRejected = 0;
            if (p.Nickname is null || isProtected)
            {
                m.Flags |= MemberFlags.NicknameOk;
            }
            else
            {
                m.Flags &= ~MemberFlags.NicknameOk;
            }
        }
        else if (isProtected || p.Nickname is null)
        {
            m.Flags |= MemberFlags.NicknameOk;
        }

        var guard = isProtected ? LifecycleGuard.Protected : m.Has(MemberFlags.NicknameOk) ? LifecycleGuard.NicknameOk : LifecycleGuard.NicknameRequired;
        var to = p.Table.Take(from, LifecycleTrigger.Joined, guard);
        o.Add(new PendingTransition(from, to, e.Id, LifecycleReason.None, e.At));
        m.State = to;
        if (!staff)
        {
            o.Add(new PendingAction(MemberActionKind.Welcome, LifecycleReason.None, -1, e.At, 0));
        }
    }

    private static void Nickname(ref MemberData m, in LifecycleEvent e, CompiledPolicy p, LifecycleOutput o)
    {
        var ok = m.Has(MemberFlags.Protected) || p.NicknameMatches(e.Nickname);

        // Onboarding ends once: a second matching nickname (still at risk for another reason, say) is no news.
        var wasOnboarding = !m.Has(MemberFlags.NicknameOk)
            && (m.State == MemberState.Onboarding || (m.State == MemberState.AtRisk && m.RiskReason == LifecycleReason.Nickname));
        if (!ok)
        {
            m.Flags &= ~MemberFlags.NicknameOk;
            return;
        }

        m.Flags |= MemberFlags.NicknameOk;
        if (!wasOnboarding)
        {
            return;
        }

        o.Add(new PendingAction(MemberActionKind.Congratulation, LifecycleReason.None, -1, e.At, 0));
        if (p.Table.TryTake(m.State, LifecycleTrigger.NicknameMatched, LifecycleGuard.None, out var to))
        {
            o.Add(new PendingTransition(m.State, to, e.Id, LifecycleReason.None, e.At));
            m.State = to;
        }
    }

    private static void Rejected(ref MemberData m, in LifecycleEvent e, CompiledPolicy p, LifecycleOutput o)
    {
        var task = p.TaskIndex(e.Task);
        SetTask(ref m, task, MemberTaskStatus.Rejected);
        if (task < 0 || !m.IsPresent || m.Has(MemberFlags.Protected) || m.LastJoinAt == 0)
        {
            return;
        }

        if (m.State == MemberState.AtRisk)
        {
            o.Add(new PendingAction(MemberActionKind.Reminder, LifecycleReason.TaskRejected, task, e.At, m.RemovalDeadline));
            return;
        }

        var deadline = After(m.LastJoinAt, p.TaskWithin[task]);
        if (deadline > e.At)
        {
            // Reminded again; the original deadline holds.
            o.Add(new PendingAction(MemberActionKind.Reminder, LifecycleReason.TaskRejected, task, e.At, deadline));
        }

        // Past the deadline: Reevaluate finds the task overdue and puts the member at risk with a reminder.
    }

    private static void SetTask(ref MemberData m, int task, MemberTaskStatus status)
    {
        if (task < 0)
        {
            return;
        }

        var bit = 1 << task;
        m.TasksSubmitted &= ~bit;
        m.TasksApproved &= ~bit;
        m.TasksRejected &= ~bit;
        switch (status)
        {
            case MemberTaskStatus.Submitted: m.TasksSubmitted |= bit; break;
            case MemberTaskStatus.Approved: m.TasksApproved |= bit; break;
            case MemberTaskStatus.Rejected: m.TasksRejected |= bit; break;
            default: break;
        }
    }

    /// <summary>An in-order qualifying activity: the steady-state path, touching only the first cache line of the member.</summary>
    private static void Activity(ref MemberData m, long at, bool isOrder, CompiledPolicy p)
    {
        if (!m.Has(MemberFlags.HasActivity))
        {
            m.FirstActivityAt = at;
            m.Flags |= MemberFlags.HasActivity;
        }

        m.LastActivityAt = at; // in order: never earlier than what is there
        if (!m.Has(MemberFlags.ActivationSettled))
        {
            SettleActivation(ref m, at, p);
        }

        if (isOrder && m.ConvertedAt == 0)
        {
            m.ConvertedAt = at;
        }
    }

    /// <summary>An activity older than the watermark: milestones by min/max, so applying it twice changes nothing.</summary>
    private static void OldActivity(ref MemberData m, long at, bool isOrder, CompiledPolicy p)
    {
        if (!m.Has(MemberFlags.HasActivity) || at < m.FirstActivityAt)
        {
            m.FirstActivityAt = at;
            m.Flags |= MemberFlags.HasActivity;
        }

        if (at > m.LastActivityAt)
        {
            m.LastActivityAt = at;
        }

        if (!m.Has(MemberFlags.ActivatedWithinWindow) && InWindow(ref m, at, p))
        {
            m.Flags |= MemberFlags.ActivatedWithinWindow | MemberFlags.ActivationSettled;
        }

        if (isOrder && (m.ConvertedAt == 0 || at < m.ConvertedAt))
        {
            m.ConvertedAt = at;
        }
    }

    private static void SettleActivation(ref MemberData m, long at, CompiledPolicy p)
    {
        if (InWindow(ref m, at, p))
        {
            m.Flags |= MemberFlags.ActivatedWithinWindow | MemberFlags.ActivationSettled;
        }
        else if (m.JoinedAt != 0 && at >= m.JoinedAt)
        {
            // Later in-order activity cannot fall inside the window any more (past it, or the join is excluded);
            // an earlier first join arriving late unsettles it again (FirstJoin).
            m.Flags |= MemberFlags.ActivationSettled;
        }
    }

    /// <summary>Whether a qualifying activity at <paramref name="at"/> activates the member's first join (<see cref="JoinActivation"/>).</summary>
    private static bool InWindow(ref MemberData m, long at, CompiledPolicy p) =>
        m.JoinedAt != 0 && !m.Has(MemberFlags.StaffOrBot) && JoinActivation.Activates(m.JoinedAt, at, p.ActivationWindow);

    /// <summary>
    /// A <c>joined</c> event, applied whatever the state does with it (a join of a member present, banned or first
    /// seen by another event, or an old one): the earliest is the member's first join (event-log/v1 rule 2,
    /// <c>first</c>; at the same instant the one applied first, which a replay ordering ties by id makes the
    /// smaller id), whose activation <see cref="MemberFlags.ActivatedWithinWindow"/> reports. When it moves, the
    /// outcome is decided again from the activity seen: exactly when the first activity is at or after the join;
    /// otherwise from the latest, which is exact for events delivered less than one window late.
    /// </summary>
    private static void FirstJoin(ref MemberData m, long at, MemberRole role, CompiledPolicy p)
    {
        if (m.JoinedAt != 0 && at >= m.JoinedAt)
        {
            return;
        }

        m.JoinedAt = at;
        m.Flags &= ~(MemberFlags.StaffOrBot | MemberFlags.ActivatedWithinWindow | MemberFlags.ActivationSettled);
        if (JoinActivation.IsExcluded(role))
        {
            m.Flags |= MemberFlags.StaffOrBot | MemberFlags.ActivationSettled;
            return;
        }

        if (m.Has(MemberFlags.HasActivity)
            && JoinActivation.Activates(at, m.FirstActivityAt >= at ? m.FirstActivityAt : m.LastActivityAt, p.ActivationWindow))
        {
            m.Flags |= MemberFlags.ActivatedWithinWindow | MemberFlags.ActivationSettled;
        }
    }

    /// <summary>After an event: resolves a risk that is no longer overdue, or warns about one that is.</summary>
    private static void Reevaluate(ref MemberData m, long at, string eventId, CompiledPolicy p, LifecycleOutput o)
    {
        if (!m.IsPresent || m.Has(MemberFlags.Protected))
        {
            if (m.State == MemberState.AtRisk)
            {
                var met = p.Table.Take(MemberState.AtRisk, LifecycleTrigger.RequirementMet, LifecycleGuard.None);
                o.Add(new PendingTransition(MemberState.AtRisk, met, eventId, LifecycleReason.None, at));
                m.State = met;
                m.RiskReason = LifecycleReason.None;
                m.RemovalDeadline = 0;
            }

            return;
        }

        var reason = Overdue(ref m, at, p, out var task);
        if (m.State == MemberState.AtRisk)
        {
            if (reason == LifecycleReason.None)
            {
                var met = p.Table.Take(MemberState.AtRisk, LifecycleTrigger.RequirementMet, LifecycleGuard.None);
                o.Add(new PendingTransition(MemberState.AtRisk, met, eventId, LifecycleReason.None, at));
                m.State = met;
                m.RiskReason = LifecycleReason.None;
                m.RiskTask = -1;
                m.RemovalDeadline = 0;
            }
        }
        else if (reason != LifecycleReason.None && p.Table.TryTake(m.State, LifecycleTrigger.RequirementOverdue, LifecycleGuard.None, out var to))
        {
            // Without a row (a requirement that no event can make overdue at once) the deadline, due now, takes it.
            o.Add(new PendingTransition(m.State, to, eventId, LifecycleReason.None, at));
            Warn(ref m, to, reason, task, at, p, o);
        }
    }

    private static void Warn(ref MemberData m, MemberState to, LifecycleReason reason, int task, long at, CompiledPolicy p, LifecycleOutput o)
    {
        m.State = to;
        m.RiskReason = reason;
        m.RiskTask = (sbyte)task;
        m.RemovalDeadline = After(at, p.WarningGrace);
        o.Add(new PendingAction(MemberActionKind.Reminder, reason, task, at, m.RemovalDeadline));
    }

    /// <summary>The first requirement overdue at <paramref name="t"/>: nickname, then tasks in order, then speaking.</summary>
    private static LifecycleReason Overdue(ref MemberData m, long t, CompiledPolicy p, out int task)
    {
        task = -1;
        if (!m.IsPresent || m.Has(MemberFlags.Protected))
        {
            return LifecycleReason.None;
        }

        if (m.LastJoinAt != 0)
        {
            if (!m.Has(MemberFlags.NicknameOk) && p.Nickname is not null && t >= After(m.LastJoinAt, p.OnboardingGrace))
            {
                return LifecycleReason.Nickname;
            }

            var met = m.TasksSubmitted | m.TasksApproved;
            for (var i = 0; i < p.TaskWithin.Length; i++)
            {
                if ((met & (1 << i)) == 0 && t >= After(m.LastJoinAt, p.TaskWithin[i]))
                {
                    task = i;
                    return (m.TasksRejected & (1 << i)) != 0 ? LifecycleReason.TaskRejected : LifecycleReason.TaskOverdue;
                }
            }
        }

        if (p.SpeakEveryDays > 0 && t >= p.SpeakDeadline(SpeakBase(ref m)))
        {
            return LifecycleReason.Inactive;
        }

        return LifecycleReason.None;
    }

    private static long SpeakBase(ref MemberData m) =>
        Math.Max(Math.Max(m.LastJoinAt, m.FirstSeenAt), m.LastActivityAt);

    /// <summary>The earliest instant something may fall due (exact after a transition); 0 when nothing can.</summary>
    public static long NextDeadline(ref MemberData m, CompiledPolicy p)
    {
        if (!m.IsPresent || m.Has(MemberFlags.Protected))
        {
            return 0;
        }

        if (m.State == MemberState.AtRisk)
        {
            return m.RemovalDeadline >= Never ? 0 : m.RemovalDeadline;
        }

        var next = long.MaxValue;
        if (m.LastJoinAt != 0)
        {
            if (!m.Has(MemberFlags.NicknameOk) && p.Nickname is not null)
            {
                next = Math.Min(next, After(m.LastJoinAt, p.OnboardingGrace));
            }

            var met = m.TasksSubmitted | m.TasksApproved;
            for (var i = 0; i < p.TaskWithin.Length; i++)
            {
                if ((met & (1 << i)) == 0)
                {
                    next = Math.Min(next, After(m.LastJoinAt, p.TaskWithin[i]));
                }
            }
        }

        if (p.SpeakEveryDays > 0)
        {
            next = Math.Min(next, p.SpeakDeadline(SpeakBase(ref m)));
        }

        return next >= Never ? 0 : next;
    }

    /// <summary>
    /// The last instant a deadline can name (<see cref="DateTime.MaxValue"/>): policy durations that reach past it (up
    /// to <see cref="TimeSpan.MaxValue"/>) end there, and a deadline there never falls due.
    /// </summary>
    internal static readonly long Never = DateTime.MaxValue.Ticks;

    /// <summary><paramref name="at"/> plus <paramref name="duration"/> (both non-negative), or <see cref="Never"/> where that lies past it.</summary>
    private static long After(long at, long duration) => duration >= Never - at ? Never : at + duration;

    private static void Move(ref MemberData m, MemberState to, string eventId, long at, LifecycleOutput o)
    {
        o.Add(new PendingTransition(m.State, to, eventId, LifecycleReason.None, at));
        m.State = to;
        m.RiskReason = LifecycleReason.None;
        m.RiskTask = -1;
        m.RemovalDeadline = 0;
    }
}
