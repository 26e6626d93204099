using System.Globalization;
using System.Text.Json.Nodes;
using CommunityFunnel.Discord;
using CommunityFunnel.Events;
using static CommunityFunnel.Platforms.Tests.EventLogRoundTrip;

namespace CommunityFunnel.Platforms.Tests.Discord;

/// <summary>
/// The property behind the gateway's replays (a RESUME replays the dispatches a client missed, a reconnecting host may
/// feed a payload twice) and membership screening (every later GUILD_MEMBER_UPDATE repeats pending=false): mapping a
/// run of dispatches, each delivered any number of times in any order, gives the same event log after the reader's
/// dedupe as mapping each once in order. A removal is dated when it is received, so only its time may differ. Seeded.
/// </summary>
public sealed class DiscordRedeliveryPropertyTests
{
    private const string Session = "9f3c2a71d0e84b6c";
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 11, 0, 0, TimeSpan.Zero);

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RedeliveredInAnyOrder_AnyNumberOfTimes_GivesTheSameLogAfterDedupe(int seed)
    {
        var random = new Random(seed);
        var mapper = DiscordGatewayMapperTests.Mapper;
        var run = Run(random, random.Next(1, 40));
        var once = Read(Log(run.SelectMany(p => mapper.Map(p.Json, p.Delivery).Events)), out _);
        Assert.NotEmpty(run);

        var deliveries = new List<(string Json, DiscordDelivery Delivery)>();
        foreach (var p in run)
        {
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                // A replay arrives later than the original.
                deliveries.Add((p.Json, p.Delivery with { ReceivedAt = p.Delivery.ReceivedAt!.Value.AddSeconds(random.Next(0, 600)) }));
            }
        }

        for (var i = deliveries.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (deliveries[i], deliveries[j]) = (deliveries[j], deliveries[i]);
        }

        var mapped = deliveries.SelectMany(p => mapper.Map(p.Json, p.Delivery).Events).ToList();
        var again = Read(Log(mapped), out var duplicates);
        Assert.Equal(Normal(once), Normal(again));
        Assert.Equal(mapped.Count - again.Count, duplicates);
    }

    /// <summary>The events by id, a removal's receive time left out.</summary>
    private static List<CommunityEvent> Normal(IEnumerable<CommunityEvent> events) =>
        [.. events.Select(e => e.Type is EventType.Left or EventType.Removed
                ? new CommunityEvent(e.Id, e.Type, e.Group, e.Member, Start, by: e.By, scene: e.Scene)
                : e)
            .OrderBy(e => e.Id, StringComparer.Ordinal)];

    private static List<(string Json, DiscordDelivery Delivery)> Run(Random random, int count)
    {
        var run = new List<(string, DiscordDelivery)>();
        var sequence = 100L;
        var message = 1188100000000000100L;
        var attributions = new[]
        {
            DiscordJoinAttribution.Unknown,
            new DiscordJoinAttribution("poster", ChannelAttribution.Exact, "lumenPoster"),
            new DiscordJoinAttribution("storeSH01", ChannelAttribution.Inferred, "storeSH01"),
        };
        for (var i = 0; i < count; i++)
        {
            var user = "9055123456789" + random.Next(10000, 10020).ToString(CultureInfo.InvariantCulture);
            var at = Start.AddSeconds(random.Next(0, 86400)).AddTicks(random.Next(0, 10_000_000));
            var joinedAt = at.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
            var delivery = new DiscordDelivery { SessionId = Session, ReceivedAt = at, Attribution = attributions[random.Next(attributions.Length)] };
            switch (random.Next(4))
            {
                case 0:
                    run.Add((Member("guild_member_add.json", ++sequence, user, joinedAt, flags: random.Next(2)), delivery));
                    break;
                case 1:
                    run.Add((Member("guild_member_add_pending.json", ++sequence, user, joinedAt), delivery));
                    for (var n = random.Next(0, 3); n >= 0; n--)
                    {
                        run.Add((Member("guild_member_update_screened.json", ++sequence, user, joinedAt), delivery));
                    }

                    break;
                case 2:
                    run.Add((Member("guild_member_remove.json", ++sequence, user, null), delivery with { Kick = random.Next(2) == 0 ? null : new DiscordKickHint("700011122233344455") }));
                    break;
                default:
                    var root = Template(random.Next(2) == 0 ? "message_create.json" : "message_create_hashtag_attachment.json", ++sequence);
                    root["d"]!["id"] = (++message).ToString(CultureInfo.InvariantCulture);
                    root["d"]!["author"]!["id"] = user;
                    root["d"]!["timestamp"] = joinedAt;
                    run.Add((root.ToJsonString(), delivery));
                    break;
            }
        }

        return run;
    }

    private static JsonObject Template(string fixture, long sequence)
    {
        var root = JsonNode.Parse(Fixture.Read("Discord", fixture))!.AsObject();
        root["s"] = sequence;
        return root;
    }

    private static string Member(string fixture, long sequence, string user, string? joinedAt, int flags = 0)
    {
        var root = Template(fixture, sequence);
        root["d"]!["user"]!["id"] = user;
        if (joinedAt is not null)
        {
            root["d"]!["joined_at"] = joinedAt;
            root["d"]!["flags"] = flags;
        }

        return root.ToJsonString();
    }
}
