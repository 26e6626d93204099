using System.Globalization;
using CommunityFunnel.Events;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// A deterministic month of a large community for the activation benchmarks: one join per ten events, then
/// messages, check-ins and the odd order spread over the following days; 5% of joins are rejoins, 1% staff,
/// 0.1% duplicate ids, and the log is mildly out of order (emitted per member, not per instant).
/// </summary>
internal static class ActivationBenchmarkData
{
    public static IEnumerable<CommunityEvent> Generate(int events)
    {
        var random = new Random(20261101);
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        string?[] channels = ["poster", "official-account", "in-store-qr", "invite-link", "live-stream", null];
        var groups = Enumerable.Range(1, 200).Select(i => "wrOgQhDgAA" + i.ToString("D4", CultureInfo.InvariantCulture)).ToArray();
        var emitted = 0;
        var member = 0;
        CommunityEvent? last = null;
        while (emitted < events)
        {
            var group = groups[random.Next(groups.Length)];
            var who = "wmEAAA" + (member++).ToString("D8", CultureInfo.InvariantCulture);
            var at = start.AddSeconds(random.Next(0, 30 * 86_400));
            var role = random.Next(100) == 0 ? MemberRole.Staff : (MemberRole?)null;
            var engaged = random.Next(100) < 45;
            for (var k = 0; k < 10 && emitted < events; k++, emitted++)
            {
                CommunityEvent e;
                if (k == 0 || (k == 5 && random.Next(20) == 0))
                {
                    e = new CommunityEvent(Id(emitted), EventType.Joined, group, who, at, channel: channels[random.Next(channels.Length)], role: role);
                }
                else if (last is not null && random.Next(1000) == 0)
                {
                    e = last; // a duplicate id
                }
                else
                {
                    at = at.AddSeconds(engaged ? random.Next(60, 20_000) : random.Next(80_000, 400_000));
                    e = (random.Next(10)) switch
                    {
                        0 => new CommunityEvent(Id(emitted), EventType.Checkin, group, who, at, task: "daily"),
                        1 => new CommunityEvent(Id(emitted), EventType.Left, group, who, at),
                        2 when random.Next(4) == 0 => new CommunityEvent(Id(emitted), EventType.Order, group, who, at, amount: 9_900, currency: "CNY"),
                        _ => new CommunityEvent(Id(emitted), EventType.Message, group, who, at),
                    };
                }

                last = e;
                yield return e;
            }
        }
    }

    private static string Id(int n) => "ev-" + n.ToString("D9", CultureInfo.InvariantCulture);
}
