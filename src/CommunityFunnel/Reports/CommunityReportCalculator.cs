using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Reports;

/// <summary>
/// Computes a <see cref="CommunityReport"/> from an event sequence in any order (docs/reports.md). Duplicates by
/// <c>id</c> are ignored (the first wins), events at or after <c>asOf</c> are ignored, members are (group, member)
/// pairs compared exactly, and a pair with a <c>joined</c> event of role staff or bot is left out of every view.
/// Weeks, days and hours are local to the query's zone, from its rules (daylight saving included), never from
/// adding fixed hours.
/// </summary>
public static class CommunityReportCalculator
{
    /// <summary>Computes the views of <paramref name="query"/> over <paramref name="events"/>.</summary>
    /// <param name="events">The events, in any order.</param>
    /// <param name="query">What to compute.</param>
    /// <param name="lifecycleMembers">
    /// The members as the lifecycle engine holds them at <c>asOf</c> (e.g. <see cref="MemberLifecycleEngine.Members"/>
    /// after replaying the same events and advancing to <c>asOf</c>), for <see cref="CommunityReport.AtRisk"/>; or
    /// <see langword="null"/>, and that view is <see langword="null"/>.
    /// </param>
    /// <exception cref="ArgumentException">A field of <paramref name="query"/> is invalid; the message names it.</exception>
    public static CommunityReport Calculate(IEnumerable<CommunityEvent> events, CommunityReportQuery query, IEnumerable<MemberRecord>? lifecycleMembers = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        var zone = TimeZones.Find(query.TimeZoneId, nameof(query.TimeZoneId));
        var asOf = query.AsOf.UtcTicks;
        var activityMask = 0;
        foreach (var t in query.ActivityTypes)
        {
            activityMask |= 1 << (int)t;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pairs = new Dictionary<(string Group, string Member), Pair>();
        Pair Of(CommunityEvent e)
        {
            if (!pairs.TryGetValue((e.Group, e.Member), out var p))
            {
                pairs[(e.Group, e.Member)] = p = new Pair();
            }

            return p;
        }

        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            if (!seen.Add(e.Id) || e.AtUtcTicks >= asOf || e.Type == EventType.InviteViewed)
            {
                continue;
            }

            var p = Of(e);
            switch (e.Type)
            {
                case EventType.Joined:
                    p.StaffOrBot |= e.EffectiveRole != MemberRole.Member;
                    p.Presence.Add((e.AtUtcTicks, e.Id, true));
                    p.Joins.Add((e.AtUtcTicks, e.By));
                    break;
                case EventType.Left:
                case EventType.Removed:
                    p.Presence.Add((e.AtUtcTicks, e.Id, false));
                    if (e.Type == EventType.Left)
                    {
                        p.Lefts.Add(e.AtUtcTicks);
                    }
                    else
                    {
                        p.Removals.Add(e.AtUtcTicks);
                    }

                    break;
            }

            if (e.Type == EventType.Message)
            {
                p.Messages.Add(e.AtUtcTicks);
            }

            if ((activityMask & (1 << (int)e.Type)) != 0)
            {
                p.Activity.Add(e.AtUtcTicks);
            }
        }

        var members = new List<((string Group, string Member) Key, Pair Pair)>();
        foreach (var (key, p) in pairs)
        {
            if (!p.StaffOrBot)
            {
                p.Presence.Sort((x, y) => x.At != y.At ? x.At.CompareTo(y.At) : string.CompareOrdinal(x.Id, y.Id));
                members.Add((key, p));
            }
        }

        var weeks = new WeekCalendar(zone);
        return new CommunityReport(
            query.AsOf,
            query.TimeZoneId,
            Retention(members, weeks, asOf, query.MaxWeeksLater),
            Lifecycle(members, weeks, asOf),
            Growth(members, zone, asOf),
            Heatmap(members, zone),
            Inviters(members, query.TopInviters),
            lifecycleMembers is null ? null : AtRisk(lifecycleMembers));
    }

    /// <summary>The members of <paramref name="members"/> at risk (staff and bots left out), by removal deadline, then group and member (ordinal).</summary>
    /// <param name="members">Lifecycle records, e.g. <see cref="MemberLifecycleEngine.Members"/>.</param>
    public static IReadOnlyList<AtRiskMember> AtRisk(IEnumerable<MemberRecord> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        return members
            .Where(m => m.State == MemberState.AtRisk && !m.StaffOrBot)
            .OrderBy(m => m.RemovalDeadline is null ? 1 : 0)
            .ThenBy(m => m.RemovalDeadline?.UtcTicks ?? 0)
            .ThenBy(m => m.Group, StringComparer.Ordinal)
            .ThenBy(m => m.Member, StringComparer.Ordinal)
            .Select(m => new AtRiskMember(m.Group, m.Member, m.RiskReason, m.RiskTask, m.RemovalDeadline))
            .ToList();
    }

    private static List<RetentionCohort> Retention(List<((string, string) Key, Pair Pair)> members, WeekCalendar weeks, long asOf, int maxWeeksLater)
    {
        var cohorts = new SortedDictionary<int, (long Members, long[] Retained)>();
        var lastWeek = weeks.WeekOf(asOf - 1);
        foreach (var (_, p) in members)
        {
            if (p.FirstJoin is not { } first)
            {
                continue;
            }

            var c = weeks.WeekOf(first);
            var span = Math.Min(maxWeeksLater, lastWeek - c) + 1;
            if (!cohorts.TryGetValue(c, out var row))
            {
                row = (0, new long[span]);
            }

            row.Members++;
            foreach (var w in p.ActiveWeeks(weeks))
            {
                var k = w - c;
                if (k >= 0 && k < span && p.PresentBefore(weeks.Start(w + 1)))
                {
                    row.Retained[k]++;
                }
            }

            cohorts[c] = row;
        }

        return cohorts.Select(c => new RetentionCohort(weeks.Monday(c.Key), c.Value.Members, c.Value.Retained)).ToList();
    }

    private static List<LifecycleWeek> Lifecycle(List<((string, string) Key, Pair Pair)> members, WeekCalendar weeks, long asOf)
    {
        var joined = members.Where(m => m.Pair.FirstJoin is not null).ToList();
        if (joined.Count == 0)
        {
            return [];
        }

        var first = joined.Min(m => weeks.WeekOf(m.Pair.FirstJoin!.Value));
        var last = weeks.WeekOf(asOf - 1);
        var rows = new long[last - first + 1, 4];
        foreach (var (_, p) in joined)
        {
            var joinWeek = weeks.WeekOf(p.FirstJoin!.Value);
            var active = p.ActiveWeeks(weeks);
            foreach (var w in active)
            {
                var i = w - first;
                rows[i, w == joinWeek ? 0 : active.Contains(w - 1) ? 1 : 2]++;
                if (!active.Contains(w + 1) && w + 1 <= last)
                {
                    rows[i + 1, 3]++;
                }
            }
        }

        return Enumerable.Range(0, last - first + 1)
            .Select(i => new LifecycleWeek(weeks.Monday(first + i), rows[i, 0], rows[i, 1], rows[i, 2], rows[i, 3]))
            .ToList();
    }

    private static List<GrowthDay> Growth(List<((string, string) Key, Pair Pair)> members, TimeZoneInfo zone, long asOf)
    {
        var days = new Dictionary<int, long[]>();
        void Count(long at, int column)
        {
            var day = LocalCalendar.LocalDate(at, zone).DayNumber;
            if (!days.TryGetValue(day, out var row))
            {
                days[day] = row = new long[3];
            }

            row[column]++;
        }

        foreach (var (_, p) in members)
        {
            p.Joins.ForEach(j => Count(j.At, 0));
            p.Lefts.ForEach(t => Count(t, 1));
            p.Removals.ForEach(t => Count(t, 2));
        }

        if (days.Count == 0)
        {
            return [];
        }

        var from = days.Keys.Min();
        var to = Math.Max(days.Keys.Max(), LocalCalendar.LocalDate(asOf - 1, zone).DayNumber);
        var list = new List<GrowthDay>(to - from + 1);
        for (var d = from; d <= to; d++)
        {
            var row = days.TryGetValue(d, out var r) ? r : new long[3];
            list.Add(new GrowthDay(DateOnly.FromDayNumber(d), row[0], row[1], row[2]));
        }

        return list;
    }

    private static MessageHeatmap Heatmap(List<((string, string) Key, Pair Pair)> members, TimeZoneInfo zone)
    {
        var counts = new long[7][];
        for (var d = 0; d < 7; d++)
        {
            counts[d] = new long[24];
        }

        foreach (var (_, p) in members)
        {
            foreach (var at in p.Messages)
            {
                var local = TimeZoneInfo.ConvertTime(new DateTimeOffset(at, TimeSpan.Zero), zone);
                counts[((int)local.DayOfWeek + 6) % 7][local.Hour]++;
            }
        }

        return new MessageHeatmap(counts);
    }

    private static List<InviterRow> Inviters(List<((string Group, string Member) Key, Pair Pair)> members, int top)
    {
        var byInviter = new Dictionary<string, (long Invited, long StillIn)>(StringComparer.Ordinal);
        foreach (var (_, p) in members)
        {
            foreach (var inviter in p.Joins.Where(j => j.By is not null).Select(j => j.By!).Distinct(StringComparer.Ordinal))
            {
                var row = byInviter.TryGetValue(inviter, out var r) ? r : default;
                byInviter[inviter] = (row.Invited + 1, row.StillIn + (p.PresentBefore(long.MaxValue) ? 1 : 0));
            }
        }

        return byInviter
            .OrderByDescending(i => i.Value.Invited)
            .ThenBy(i => i.Key, StringComparer.Ordinal)
            .Take(top)
            .Select(i => new InviterRow(i.Key, i.Value.Invited, i.Value.StillIn))
            .ToList();
    }

    private sealed class Pair
    {
        private HashSet<int>? _activeWeeks;

        public bool StaffOrBot { get; set; }

        public List<(long At, string Id, bool In)> Presence { get; } = [];

        public List<(long At, string? By)> Joins { get; } = [];

        public List<long> Lefts { get; } = [];

        public List<long> Removals { get; } = [];

        public List<long> Messages { get; } = [];

        public List<long> Activity { get; } = [];

        public long? FirstJoin => Joins.Count == 0 ? null : Joins.Min(j => j.At);

        /// <summary>The local weeks with activity at or after the first join.</summary>
        public HashSet<int> ActiveWeeks(WeekCalendar weeks)
        {
            if (_activeWeeks is null)
            {
                _activeWeeks = [];
                if (FirstJoin is { } first)
                {
                    foreach (var at in Activity)
                    {
                        if (at >= first)
                        {
                            _activeWeeks.Add(weeks.WeekOf(at));
                        }
                    }
                }
            }

            return _activeWeeks;
        }

        /// <summary>Whether the member is in the group after its joins and leaves before <paramref name="end"/>, taken in (at, id) order.</summary>
        public bool PresentBefore(long end)
        {
            var present = false;
            foreach (var (at, _, isIn) in Presence)
            {
                if (at >= end)
                {
                    break;
                }

                present = isIn;
            }

            return present;
        }
    }

    /// <summary>Local ISO weeks (Monday first) numbered by the day number of their Monday / 7 (0001-01-01 was a Monday).</summary>
    private sealed class WeekCalendar(TimeZoneInfo zone)
    {
        private readonly Dictionary<int, long> _starts = [];

        public int WeekOf(long utcTicks) => LocalCalendar.LocalDate(utcTicks, zone).DayNumber / 7;

        public DateOnly Monday(int week) => DateOnly.FromDayNumber(week * 7);

        public long Start(int week)
        {
            if (!_starts.TryGetValue(week, out var start))
            {
                _starts[week] = start = LocalCalendar.StartOfDay(Monday(week), zone).UtcTicks;
            }

            return start;
        }
    }
}
