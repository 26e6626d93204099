using CommunityFunnel.Activation;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Activation;

/// <summary>
/// Random event streams in arrival order for the online activation projection (also linked into the storage tests):
/// joins (staff and bots among them, ties, rejoins, several groups and channels), leaves and removals, qualifying and
/// other activity at the window's edges, duplicate ids (same or different content), late and out-of-order arrivals,
/// around a daylight-saving change, and the report instants worth asking about.
/// </summary>
internal static class ProjectionStreams
{
    /// <summary>Zones the day breakdown is asked in: a non-UTC zone without DST, and two with a change inside the streams.</summary>
    public static readonly string[] Zones = ["Asia/Shanghai", "America/New_York", "Europe/Berlin"];

    /// <summary>Starts of the streams: the New York fall-back (2026-11-01 06:00Z) and the Berlin spring-forward (2026-03-29 01:00Z) lie within their first days.</summary>
    private static readonly DateTimeOffset[] Starts =
    [
        new(2026, 10, 31, 12, 0, 0, TimeSpan.Zero),
        new(2026, 3, 28, 6, 0, 0, TimeSpan.Zero),
    ];

    private static readonly string?[] Channels = ["poster", "qr", null, "(none)", "link"];

    public sealed record Stream(List<CommunityEvent> Arrivals, List<DateTimeOffset> AsOfs, DateTimeOffset Start);

    public static Stream Generate(Random random, TimeSpan window, int maxMembers = 14)
    {
        var start = Starts[random.Next(Starts.Length)];
        var events = new List<CommunityEvent>();
        var next = 0;
        string Id() => "e" + (next++).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        var groups = new[] { "g1", "g2", "g3" };
        var types = Enum.GetValues<EventType>();
        var joinTimes = new List<DateTimeOffset>();
        var members = random.Next(1, maxMembers);
        for (var m = 0; m < members; m++)
        {
            var member = "m" + m;
            var home = groups[random.Next(groups.Length)];
            var joins = random.Next(0, 4);
            var mine = new List<DateTimeOffset>();
            for (var k = 0; k < joins; k++)
            {
                var group = random.Next(4) == 0 ? groups[random.Next(groups.Length)] : home;
                var at = random.Next(2) == 0 ? start.AddHours(random.Next(0, 24 * 4)) : start.AddMinutes(random.Next(0, 60 * 24 * 4));
                mine.Add(at);
                var role = random.Next(9) switch { 0 => MemberRole.Staff, 1 => MemberRole.Bot, 2 => MemberRole.Member, _ => (MemberRole?)null };
                var attribution = random.Next(6) switch { 0 => ChannelAttribution.Inferred, 1 => ChannelAttribution.Unknown, _ => (ChannelAttribution?)null };
                events.Add(new CommunityEvent(Id(), EventType.Joined, group, member, Shift(random, at), channel: Channels[random.Next(Channels.Length)], role: role, attribution: attribution));
                if (random.Next(6) == 0)
                {
                    // Another join at the very same instant: under "first" the smaller id wins.
                    events.Add(new CommunityEvent(Id(), EventType.Joined, group, member, at, channel: "tie"));
                }

                if (random.Next(3) == 0)
                {
                    events.Add(new CommunityEvent(Id(), random.Next(2) == 0 ? EventType.Left : EventType.Removed, group, member, at.AddMinutes(random.Next(1, 60 * 30))));
                }
            }

            joinTimes.AddRange(mine);
            var activity = random.Next(0, random.Next(4) == 0 ? 30 : 6);
            for (var k = 0; k < activity; k++)
            {
                var group = random.Next(5) == 0 ? groups[random.Next(groups.Length)] : home;
                DateTimeOffset at = random.Next(6) switch
                {
                    0 when mine.Count > 0 => mine[random.Next(mine.Count)] + window, // exactly at joinAt + W: too late
                    1 when mine.Count > 0 => mine[random.Next(mine.Count)] + window - TimeSpan.FromTicks(1), // the last instant in
                    2 when mine.Count > 0 => mine[random.Next(mine.Count)], // at the join itself
                    3 when mine.Count > 0 => mine[random.Next(mine.Count)] - TimeSpan.FromTicks(1), // just before it
                    _ => start.AddMinutes(random.Next(-60 * 12, 60 * 24 * 6)),
                };
                events.Add(Make(Id(), types[random.Next(types.Length)], group, member, Shift(random, at)));
            }
        }

        // The funnel's attract step: visitors viewing invites, some of whom join.
        for (var k = random.Next(0, 10); k > 0; k--)
        {
            var visitor = random.Next(3) == 0 ? "m" + random.Next(members) : "v" + random.Next(6);
            var channel = Channels[random.Next(Channels.Length)] ?? "poster";
            events.Add(new CommunityEvent(Id(), EventType.InviteViewed, groups[random.Next(groups.Length)], visitor, start.AddMinutes(random.Next(-60 * 12, 60 * 24 * 5)), channel: channel));
        }

        // Duplicates: an id again, the same event or other content.
        for (var k = random.Next(0, 5); k > 0 && events.Count > 0; k--)
        {
            var original = events[random.Next(events.Count)];
            events.Add(random.Next(2) == 0 ? original : Make(original.Id, EventType.Message, original.Group, original.Member, original.At.AddHours(-2)));
        }

        var arrivals = Arrive(random, events);
        var asOfs = new List<DateTimeOffset> { start.AddDays(-1), start.AddHours(random.Next(0, 24 * 7)), start.AddDays(9) };
        for (var k = 0; k < 3 && joinTimes.Count > 0; k++)
        {
            var join = joinTimes[random.Next(joinTimes.Count)];
            asOfs.Add(random.Next(3) switch { 0 => join + window, 1 => join + window - TimeSpan.FromTicks(1), _ => join });
        }

        return new Stream(arrivals, asOfs, start);
    }

    /// <summary>The events in an arrival order: mostly by time with some arriving late (hours to days), sometimes wholly shuffled.</summary>
    private static List<CommunityEvent> Arrive(Random random, List<CommunityEvent> events)
    {
        if (random.Next(4) == 0)
        {
            var shuffled = events.ToList();
            for (var i = shuffled.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            return shuffled;
        }

        var lateShare = random.Next(0, 40);
        return events
            .Select((e, i) => (Event: e, Arrives: e.AtUtcTicks + (random.Next(100) < lateShare ? TimeSpan.FromMinutes(random.Next(1, 60 * 24 * 3)).Ticks : 0), Index: i))
            .OrderBy(a => a.Arrives)
            .ThenBy(a => a.Index)
            .Select(a => a.Event)
            .ToList();
    }

    /// <summary>The queries asked of one stream: every report instant, several breakdowns, both rejoin policies, zones and cohort ranges.</summary>
    public static IEnumerable<ActivationQuery> Queries(Random random, Stream stream, TimeSpan window, IReadOnlyCollection<EventType> qualifying)
    {
        foreach (var asOf in stream.AsOfs)
        {
            var by = (ActivationBreakdownBy)random.Next(4);
            var rejoin = random.Next(2) == 0 ? RejoinPolicy.First : RejoinPolicy.Every;
            yield return new ActivationQuery(asOf)
            {
                Window = window,
                QualifyingTypes = qualifying,
                Rejoin = rejoin,
                BreakdownBy = by,
                TimeZoneId = Zones[random.Next(Zones.Length)],
                From = random.Next(4) == 0 ? stream.Start.AddHours(random.Next(0, 48)) : null,
                To = random.Next(4) == 0 ? stream.Start.AddHours(random.Next(49, 24 * 5)) : null,
            };

            // The day breakdown in every zone, with the other policy.
            foreach (var zone in Zones)
            {
                yield return new ActivationQuery(asOf)
                {
                    Window = window,
                    QualifyingTypes = qualifying,
                    Rejoin = rejoin == RejoinPolicy.First ? RejoinPolicy.Every : RejoinPolicy.First,
                    BreakdownBy = ActivationBreakdownBy.Day,
                    TimeZoneId = zone,
                };
            }
        }
    }

    /// <summary>The funnel queries asked of one stream: every report instant, by channel and by group, both policies, zones, cohorts, host-given attracted counts.</summary>
    public static IEnumerable<FunnelQuery> FunnelQueries(Random random, Stream stream, TimeSpan window, IReadOnlyCollection<EventType> qualifying)
    {
        foreach (var asOf in stream.AsOfs)
        {
            foreach (var by in new[] { ActivationBreakdownBy.Channel, ActivationBreakdownBy.Group })
            {
                yield return new FunnelQuery(asOf)
                {
                    Window = window,
                    QualifyingTypes = qualifying,
                    By = by,
                    Rejoin = random.Next(2) == 0 ? RejoinPolicy.First : RejoinPolicy.Every,
                    TimeZoneId = Zones[random.Next(Zones.Length)],
                    From = random.Next(4) == 0 ? stream.Start.AddHours(random.Next(0, 48)) : null,
                    To = random.Next(4) == 0 ? stream.Start.AddHours(random.Next(49, 24 * 5)) : null,
                    Attracted = random.Next(4) == 0 ? new Dictionary<string, long> { ["qr"] = 40, ["g2"] = 7, ["nobody"] = 3 } : null,
                };
            }
        }
    }

    /// <summary>Asserts that two funnel reports agree on every number of every row.</summary>
    public static void AssertSameFunnel(FunnelReport expected, FunnelReport actual, string context)
    {
        Assert.True(
            (expected.AsOf, expected.Window, expected.By, expected.Duplicates) == (actual.AsOf, actual.Window, actual.By, actual.Duplicates),
            $"{context}: header {expected.Duplicates} vs {actual.Duplicates}");
        Assert.True(expected.Total == actual.Total, $"{context}: total\n  expected {expected.Total}\n  actual   {actual.Total}");
        Assert.True(expected.Rows.SequenceEqual(actual.Rows), $"{context}: rows\n  expected {string.Join("; ", expected.Rows)}\n  actual   {string.Join("; ", actual.Rows)}");
        Assert.True(expected.Days.SequenceEqual(actual.Days), $"{context}: days\n  expected {string.Join("; ", expected.Days)}\n  actual   {string.Join("; ", actual.Days)}");
    }

    /// <summary>Asserts that two reports agree on every number: totals, duplicates, rate, interval and every breakdown row.</summary>
    public static void AssertSame(ActivationReport expected, ActivationReport actual, string context)
    {
        Assert.True(expected.AsOf == actual.AsOf, context);
        Assert.True(expected.Window == actual.Window, context);
        Assert.True(expected.Eligible == actual.Eligible, $"{context}: eligible {expected.Eligible} != {actual.Eligible}");
        Assert.True(expected.Activated == actual.Activated, $"{context}: activated {expected.Activated} != {actual.Activated}");
        Assert.True(expected.Pending == actual.Pending, $"{context}: pending {expected.Pending} != {actual.Pending}");
        Assert.True(expected.Excluded == actual.Excluded, $"{context}: excluded {expected.Excluded} != {actual.Excluded}");
        Assert.True(expected.Duplicates == actual.Duplicates, $"{context}: duplicates {expected.Duplicates} != {actual.Duplicates}");
        Assert.True(expected.Rate == actual.Rate, $"{context}: rate {expected.Rate} != {actual.Rate}");
        Assert.True(expected.Ci95 == actual.Ci95, $"{context}: interval");
        Assert.True(
            expected.Breakdown.SequenceEqual(actual.Breakdown),
            $"{context}: breakdown\n  expected {string.Join("; ", expected.Breakdown)}\n  actual   {string.Join("; ", actual.Breakdown)}");
    }

    private static DateTimeOffset Shift(Random random, DateTimeOffset at) =>
        random.Next(3) == 0 ? at.ToOffset(TimeSpan.FromHours(8)) : at;

    private static CommunityEvent Make(string id, EventType type, string group, string member, DateTimeOffset at) => type switch
    {
        EventType.Checkin or EventType.TaskSubmitted or EventType.TaskApproved or EventType.TaskRejected =>
            new CommunityEvent(id, type, group, member, at, task: "t1"),
        EventType.Order => new CommunityEvent(id, type, group, member, at, amount: 990),
        EventType.NicknameChanged => new CommunityEvent(id, type, group, member, at, nickname: "n"),
        EventType.InviteViewed => new CommunityEvent(id, type, group, member, at, channel: "poster"),
        EventType.Joined => new CommunityEvent(id, type, group, member, at, channel: "late-join"),
        _ => new CommunityEvent(id, type, group, member, at),
    };
}
