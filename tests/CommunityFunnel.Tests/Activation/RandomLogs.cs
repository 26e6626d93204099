using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Activation;

/// <summary>Small random logs that hit the edges: rejoins, duplicate ids, events exactly at joinAt + W and at asOf, other groups, staff.</summary>
internal static class RandomLogs
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static (List<CommunityEvent> Events, DateTimeOffset AsOf) Generate(Random random, TimeSpan window)
    {
        var events = new List<CommunityEvent>();
        var asOf = Start.AddHours(random.Next(24, 24 * 6));
        var members = random.Next(1, 12);
        var groups = new[] { "g1", "g2", "g3" };
        var channels = new string?[] { "poster", "qr", null, "(none)" };
        var types = Enum.GetValues<EventType>();
        var next = 0;
        string Id() => "e" + (next++).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

        for (var m = 0; m < members; m++)
        {
            var member = "m" + m;
            var joins = random.Next(0, 3);
            var joinTimes = new List<DateTimeOffset>();
            for (var k = 0; k < joins; k++)
            {
                var group = groups[random.Next(groups.Length)];
                // Whole hours make ties and exact boundaries likely.
                var at = Start.AddHours(random.Next(0, 24 * 7));
                joinTimes.Add(at);
                var role = random.Next(8) switch { 0 => MemberRole.Staff, 1 => MemberRole.Bot, 2 => MemberRole.Member, _ => (MemberRole?)null };
                events.Add(new CommunityEvent(Id(), EventType.Joined, group, member, Offset(random, at), channel: channels[random.Next(channels.Length)], role: role));
                if (random.Next(5) == 0)
                {
                    // A second join at the very same instant: the tie goes to the smaller id.
                    events.Add(new CommunityEvent(Id(), EventType.Joined, group, member, at, channel: "tie"));
                }
            }

            var activity = random.Next(0, random.Next(3) == 0 ? 40 : 6);
            for (var k = 0; k < activity; k++)
            {
                var group = groups[random.Next(groups.Length)];
                DateTimeOffset at = random.Next(4) switch
                {
                    0 when joinTimes.Count > 0 => joinTimes[random.Next(joinTimes.Count)] + window, // exactly at joinAt + W
                    1 when joinTimes.Count > 0 => joinTimes[random.Next(joinTimes.Count)] + window - TimeSpan.FromTicks(1),
                    2 => asOf.AddTicks(random.Next(2) - 1), // at asOf or just before
                    _ => Start.AddMinutes(random.Next(0, 60 * 24 * 8)),
                };
                var type = types[random.Next(types.Length)];
                events.Add(Make(Id(), type, group, member, at));
            }
        }

        // Duplicates: the same id again, sometimes with different content.
        var dupes = random.Next(0, 4);
        for (var k = 0; k < dupes && events.Count > 0; k++)
        {
            var original = events[random.Next(events.Count)];
            events.Add(random.Next(2) == 0
                ? original
                : Make(original.Id, EventType.Message, original.Group, original.Member, original.At.AddHours(-1)));
        }

        // Shuffle.
        for (var i = events.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (events[i], events[j]) = (events[j], events[i]);
        }

        return (events, asOf);
    }

    private static DateTimeOffset Offset(Random random, DateTimeOffset at) =>
        random.Next(2) == 0 ? at : at.ToOffset(TimeSpan.FromHours(8));

    private static CommunityEvent Make(string id, EventType type, string group, string member, DateTimeOffset at) => type switch
    {
        EventType.Checkin or EventType.TaskSubmitted or EventType.TaskApproved or EventType.TaskRejected =>
            new CommunityEvent(id, type, group, member, at, task: "t1"),
        EventType.Order => new CommunityEvent(id, type, group, member, at, amount: 990),
        EventType.NicknameChanged => new CommunityEvent(id, type, group, member, at, nickname: "n"),
        EventType.InviteViewed => new CommunityEvent(id, type, group, member, at, channel: "poster"),
        _ => new CommunityEvent(id, type, group, member, at),
    };
}
