using CommunityFunnel.Members;

namespace CommunityFunnel.Reports;

/// <summary>
/// The cohort views of an event log at <see cref="AsOf"/> (docs/reports.md): retention by join week, the weekly
/// lifecycle split, joins and leaves per day, messages by weekday and hour, the top inviters and the members at risk.
/// Weeks (Monday first), days and hours are those of <see cref="TimeZoneId"/>.
/// </summary>
/// <param name="AsOf">The query's <c>asOf</c>.</param>
/// <param name="TimeZoneId">The IANA zone of every week, day and hour.</param>
/// <param name="Retention">One cohort per local join week with a first join, in week order.</param>
/// <param name="Lifecycle">One row per local week from the first cohort's week to the week of <c>asOf</c>.</param>
/// <param name="Growth">One row per local day from the first join or leave to the day of <c>asOf</c>.</param>
/// <param name="Messages">Members' <c>message</c> events by local weekday and hour.</param>
/// <param name="TopInviters">The inviters (the <c>by</c> of joins) with the most members invited.</param>
/// <param name="AtRisk">The members at risk in the lifecycle, or <see langword="null"/> when no lifecycle state was given.</param>
public sealed record CommunityReport(
    DateTimeOffset AsOf,
    string TimeZoneId,
    IReadOnlyList<RetentionCohort> Retention,
    IReadOnlyList<LifecycleWeek> Lifecycle,
    IReadOnlyList<GrowthDay> Growth,
    MessageHeatmap Messages,
    IReadOnlyList<InviterRow> TopInviters,
    IReadOnlyList<AtRiskMember>? AtRisk);

/// <summary>One row of the retention matrix: the members whose first join fell in <paramref name="Week"/>.</summary>
/// <param name="Week">The Monday of the local join week.</param>
/// <param name="Members">Members (staff and bots left out) whose first join is in the week.</param>
/// <param name="Retained">
/// For k = 0, 1, ...: of <paramref name="Members"/>, those in the group at the end of week + k (or at <c>asOf</c>) and
/// active during it. Only weeks that began before <c>asOf</c>, at most <see cref="CommunityReportQuery.MaxWeeksLater"/> + 1.
/// </param>
public sealed record RetentionCohort(DateOnly Week, long Members, IReadOnlyList<long> Retained)
{
    /// <summary><see cref="Retained"/>[<paramref name="weeksLater"/>] / <see cref="Members"/>, or <see langword="null"/> when out of range or the cohort is empty.</summary>
    /// <param name="weeksLater">Weeks after the join week (0: the join week itself).</param>
    public double? Rate(int weeksLater) =>
        weeksLater >= 0 && weeksLater < Retained.Count && Members > 0 ? (double)Retained[weeksLater] / Members : null;
}

/// <summary>The lifecycle split of one local week (docs/reports.md).</summary>
/// <param name="Week">The Monday of the local week.</param>
/// <param name="New">Active this week, first joined this week.</param>
/// <param name="Returning">Active this week and the week before.</param>
/// <param name="Resurrecting">Active this week, not the week before, first joined before this week.</param>
/// <param name="Dormant">Active the week before, not this week.</param>
public sealed record LifecycleWeek(DateOnly Week, long New, long Returning, long Resurrecting, long Dormant);

/// <summary>Joins and leaves of one local day.</summary>
/// <param name="Date">The local day.</param>
/// <param name="Joined">Members' <c>joined</c> events that day (rejoins too; staff and bots left out).</param>
/// <param name="Left">Members' <c>left</c> events that day.</param>
/// <param name="Removed">Members' <c>removed</c> events that day.</param>
public sealed record GrowthDay(DateOnly Date, long Joined, long Left, long Removed)
{
    /// <summary>Net growth: <see cref="Joined"/> - <see cref="Left"/> - <see cref="Removed"/>.</summary>
    public long Net => Joined - Left - Removed;
}

/// <summary>Members' messages by local weekday and hour: a 7 × 24 heat map.</summary>
/// <param name="Counts">Seven rows, Monday first, of 24 counts each, hour 0 first.</param>
public sealed record MessageHeatmap(IReadOnlyList<IReadOnlyList<long>> Counts)
{
    /// <summary>The messages in local hour <paramref name="hour"/> (0 to 23) of <paramref name="day"/>.</summary>
    /// <param name="day">The local weekday.</param>
    /// <param name="hour">The local hour, 0 to 23.</param>
    public long At(DayOfWeek day, int hour) => Counts[((int)day + 6) % 7][hour];

    /// <summary>All the messages counted.</summary>
    public long Total => Counts.Sum(row => row.Sum());
}

/// <summary>An inviter: the <c>by</c> of members' <c>joined</c> events.</summary>
/// <param name="Inviter">The inviter's id, exactly as in the log.</param>
/// <param name="Invited">Distinct (group, member) pairs whose joins name this inviter.</param>
/// <param name="StillIn">Of those, the ones in their group at <c>asOf</c>.</param>
public sealed record InviterRow(string Inviter, long Invited, long StillIn);

/// <summary>A member at risk now: a requirement is overdue and removal follows at the deadline unless it is met.</summary>
/// <param name="Group">The group id.</param>
/// <param name="Member">The member id.</param>
/// <param name="Reason">Why the member is at risk.</param>
/// <param name="Task">The overdue or rejected task, when the reason is about one.</param>
/// <param name="RemovalDeadline">When the member is removed unless the requirement is met.</param>
public sealed record AtRiskMember(string Group, string Member, LifecycleReason Reason, string? Task, DateTimeOffset? RemovalDeadline);
