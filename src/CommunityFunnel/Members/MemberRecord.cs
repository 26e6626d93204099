namespace CommunityFunnel.Members;

/// <summary>
/// Everything the lifecycle knows about one member of one group, with the funnel milestones. Immutable; a store
/// keeps it with its <see cref="Version"/> (optimistic concurrency). Every property is plain data, so a SQL store
/// can keep it in columns.
/// </summary>
public sealed record MemberRecord
{
    /// <summary>The group id.</summary>
    public required string Group { get; init; }

    /// <summary>The member id.</summary>
    public required string Member { get; init; }

    /// <summary>The member's state.</summary>
    public MemberState State { get; init; }

    /// <summary>The store version: 1 for the first save, one more for every later save.</summary>
    public long Version { get; init; }

    /// <summary>
    /// The member's first join (funnel milestone): the earliest <c>joined</c> event seen, whatever the lifecycle did
    /// with it (event-log/v1 rule 2, <c>first</c>; of two at one instant, the one applied first). A <c>joined</c> of
    /// a member already present, of a banned member, or arriving late still counts here. <see langword="null"/>
    /// when no <c>joined</c> event of the member was seen.
    /// </summary>
    public DateTimeOffset? JoinedAt { get; init; }

    /// <summary>The latest join seen: onboarding and task deadlines count from it.</summary>
    public DateTimeOffset? LastJoinedAt { get; init; }

    /// <summary>When the member was first seen by any event.</summary>
    public DateTimeOffset FirstSeenAt { get; init; }

    /// <summary>The first qualifying activity (funnel milestone).</summary>
    public DateTimeOffset? FirstActivityAt { get; init; }

    /// <summary>The latest qualifying activity.</summary>
    public DateTimeOffset? LastActivityAt { get; init; }

    /// <summary>
    /// Whether the first join (<see cref="JoinedAt"/>) activated: the activation calculator's outcome for the join
    /// it counts for this (group, member) with the default rejoin policy and qualifying types (event-log/v1 rules
    /// 2, 3 and 5, decided by the same code): a qualifying event in <c>[JoinedAt, JoinedAt + W)</c>, <c>W</c> the
    /// shared activation window. Always false when the first join was by staff or a bot (<see cref="StaffOrBot"/>,
    /// excluded) or no join was seen. A member first seen by another event (<see cref="JoinedBeforeTracking"/>)
    /// whose <c>joined</c> comes later is in that join's cohort, as in the calculator. Where the calculator's answer
    /// is still pending (the window not over at its <c>asOf</c>) this is what is known so far. Exact when events
    /// arrive in time order or less than one window late; for a log more out of order, the calculator (which
    /// keeps every qualifying instant) is the reference.
    /// </summary>
    public bool ActivatedWithinWindow { get; init; }

    /// <summary>The first order (funnel milestone: converted).</summary>
    public DateTimeOffset? ConvertedAt { get; init; }

    /// <summary>
    /// First seen through an event other than a join: in good standing and exempt from onboarding and tasks. Out
    /// of activation cohorts unless a <c>joined</c> event of theirs is seen later (see <see cref="JoinedAt"/>).
    /// </summary>
    public bool JoinedBeforeTracking { get; init; }

    /// <summary>Staff, a bot or allow-listed: never reminded or removed.</summary>
    public bool Protected { get; init; }

    /// <summary>The first join (<see cref="JoinedAt"/>) was as staff or a bot: excluded from activation cohorts (event-log/v1 rule 3).</summary>
    public bool StaffOrBot { get; init; }

    /// <summary>Whether the group nickname follows the pattern (always true without a pattern).</summary>
    public bool NicknameOk { get; init; }

    /// <summary>The required tasks by id, with where each stands since the latest join.</summary>
    public IReadOnlyDictionary<string, MemberTaskStatus> Tasks { get; init; } = new Dictionary<string, MemberTaskStatus>();

    /// <summary>While <see cref="MemberState.AtRisk"/>: why.</summary>
    public LifecycleReason RiskReason { get; init; }

    /// <summary>While at risk because of a task: which one.</summary>
    public string? RiskTask { get; init; }

    /// <summary>While <see cref="MemberState.AtRisk"/>: when the member will be removed.</summary>
    public DateTimeOffset? RemovalDeadline { get; init; }

    /// <summary>When the member was last removed (the rejoin ban counts from it).</summary>
    public DateTimeOffset? RemovedAt { get; init; }

    /// <summary>The latest instant applied, event or deadline: an event before it is "old" and changes no state.</summary>
    public DateTimeOffset Watermark { get; init; }

    /// <summary>Ids of the events applied at exactly <see cref="Watermark"/>: what makes re-applying one a no-op.</summary>
    public IReadOnlyList<string> EventIdsAtWatermark { get; init; } = [];

    /// <summary>The next instant a deadline may fall due for this member, or <see langword="null"/>.</summary>
    public DateTimeOffset? NextDeadline { get; init; }

    internal static MemberRecord From(string group, string member, in MemberData m, CompiledPolicy p, long version)
    {
        var tasks = new Dictionary<string, MemberTaskStatus>(StringComparer.Ordinal);
        for (var i = 0; i < p.TaskIds.Length; i++)
        {
            var bit = 1 << i;
            tasks[p.TaskIds[i]] = (m.TasksApproved & bit) != 0 ? MemberTaskStatus.Approved
                : (m.TasksSubmitted & bit) != 0 ? MemberTaskStatus.Submitted
                : (m.TasksRejected & bit) != 0 ? MemberTaskStatus.Rejected
                : MemberTaskStatus.Pending;
        }

        return new MemberRecord
        {
            Group = group,
            Member = member,
            State = m.State,
            Version = version,
            JoinedAt = Instant(m.JoinedAt),
            LastJoinedAt = Instant(m.LastJoinAt),
            FirstSeenAt = new DateTimeOffset(m.FirstSeenAt, TimeSpan.Zero),
            FirstActivityAt = Instant(m.FirstActivityAt),
            LastActivityAt = Instant(m.LastActivityAt),
            ActivatedWithinWindow = m.Has(MemberFlags.ActivatedWithinWindow),
            ConvertedAt = Instant(m.ConvertedAt),
            JoinedBeforeTracking = m.Has(MemberFlags.JoinedBeforeTracking),
            Protected = m.Has(MemberFlags.Protected),
            StaffOrBot = m.Has(MemberFlags.StaffOrBot),
            NicknameOk = m.Has(MemberFlags.NicknameOk),
            Tasks = tasks,
            RiskReason = m.RiskReason,
            RiskTask = m.RiskTask >= 0 && m.RiskTask < p.TaskIds.Length ? p.TaskIds[m.RiskTask] : null,
            RemovalDeadline = Instant(m.RemovalDeadline),
            RemovedAt = Instant(m.RemovedAt),
            Watermark = new DateTimeOffset(m.Watermark, TimeSpan.Zero),
            EventIdsAtWatermark = m.RecentIds(),
            NextDeadline = Instant(m.NextDeadline),
        };
    }

    internal MemberData ToData(CompiledPolicy p)
    {
        var m = new MemberData
        {
            State = State,
            RiskReason = RiskReason,
            RiskTask = (sbyte)p.TaskIndex(RiskTask),
            JoinedAt = Ticks(JoinedAt),
            LastJoinAt = Ticks(LastJoinedAt),
            FirstSeenAt = FirstSeenAt.UtcTicks,
            FirstActivityAt = Ticks(FirstActivityAt),
            LastActivityAt = Ticks(LastActivityAt),
            ConvertedAt = Ticks(ConvertedAt),
            RemovedAt = Ticks(RemovedAt),
            RemovalDeadline = Ticks(RemovalDeadline),
            Watermark = Watermark.UtcTicks,
            NextDeadline = Ticks(NextDeadline),
        };
        if (ActivatedWithinWindow)
        {
            m.Flags |= MemberFlags.ActivatedWithinWindow | MemberFlags.ActivationSettled;
        }

        if (FirstActivityAt is not null)
        {
            m.Flags |= MemberFlags.HasActivity;
        }

        if (JoinedBeforeTracking)
        {
            m.Flags |= MemberFlags.JoinedBeforeTracking;
        }

        if (Protected)
        {
            m.Flags |= MemberFlags.Protected;
        }

        if (StaffOrBot)
        {
            m.Flags |= MemberFlags.StaffOrBot;
        }

        if (NicknameOk)
        {
            m.Flags |= MemberFlags.NicknameOk;
        }

        foreach (var (id, status) in Tasks)
        {
            var i = p.TaskIndex(id);
            if (i < 0)
            {
                continue;
            }

            var bit = 1 << i;
            switch (status)
            {
                case MemberTaskStatus.Submitted: m.TasksSubmitted |= bit; break;
                case MemberTaskStatus.Approved: m.TasksApproved |= bit; break;
                case MemberTaskStatus.Rejected: m.TasksRejected |= bit; break;
                default: break;
            }
        }

        foreach (var id in EventIdsAtWatermark)
        {
            m.Mark(m.Watermark, id);
        }

        return m;
    }

    private static DateTimeOffset? Instant(long ticks) => ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);

    private static long Ticks(DateTimeOffset? instant) => instant?.UtcTicks ?? 0;
}
