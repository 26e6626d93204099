using System.Text.Json.Nodes;
using CommunityFunnel.Events;
using CommunityFunnel.Telegram;
using static CommunityFunnel.Platforms.Tests.EventLogRoundTrip;

namespace CommunityFunnel.Platforms.Tests.Telegram;

/// <summary>
/// The property behind Telegram's re-deliveries (a webhook that does not answer 2xx gets the update again, and
/// <c>getUpdates</c> without an advanced offset returns it again): mapping a run of updates, each delivered any number
/// of times in any order, gives the same event log after the reader's dedupe as mapping each once in order. Seeded.
/// </summary>
public sealed class TelegramRedeliveryPropertyTests
{
    private static readonly string[] Templates =
    [
        "chat_member_join_named_link.json", "chat_member_join_public.json", "chat_member_join_masked_link.json",
        "chat_member_join_request_approved.json", "chat_member_left.json", "chat_member_kicked.json",
        "chat_member_removed_not_banned.json", "chat_member_promoted.json", "chat_join_request.json", "message_text.json",
        "message_photo_hashtag.json", "message_photo_reply_to_task.json", "message_new_chat_members.json", "my_chat_member.json",
    ];

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
        var updates = Run(random, random.Next(1, 40));
        var once = Read(Log(updates.SelectMany(u => TelegramUpdateMapperTests.Mapper.Map(u).Events)), out var onceDuplicates);
        Assert.Equal(0, onceDuplicates);

        var deliveries = new List<string>();
        foreach (var u in updates)
        {
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                deliveries.Add(u);
            }
        }

        for (var i = deliveries.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (deliveries[i], deliveries[j]) = (deliveries[j], deliveries[i]);
        }

        var mapped = deliveries.SelectMany(u => TelegramUpdateMapperTests.Mapper.Map(u).Events).ToList();
        var again = Read(Log(mapped), out var duplicates);
        Assert.Equal(Sorted(once), Sorted(again));
        Assert.Equal(mapped.Count - again.Count, duplicates);
    }

    /// <summary>Updates from the fixtures with consecutive update ids, random users and dates (several in the same second).</summary>
    private static List<string> Run(Random random, int count)
    {
        var updates = new List<string>();
        var updateId = 900000000L + random.Next(1000);
        var date = 1764846000L;
        for (var i = 0; i < count; i++)
        {
            var root = JsonNode.Parse(Fixture.Read("Telegram", Templates[random.Next(Templates.Length)]))!.AsObject();
            root["update_id"] = updateId++;
            date += random.Next(0, 3);
            var user = 5000000000L + random.Next(0, 20);
            foreach (var (_, body) in root)
            {
                if (body is JsonObject o && o.ContainsKey("date"))
                {
                    o["date"] = date;
                    foreach (var key in new[] { "new_chat_member", "old_chat_member" })
                    {
                        if (o[key]?["user"] is JsonObject u && u["is_bot"]?.GetValue<bool>() != true)
                        {
                            u["id"] = user;
                        }
                    }

                    if (o["from"] is JsonObject from && o.ContainsKey("message_id"))
                    {
                        from["id"] = user;
                    }
                }
            }

            updates.Add(root.ToJsonString());
        }

        return updates;
    }

    private static List<CommunityEvent> Sorted(IEnumerable<CommunityEvent> events) => [.. events.OrderBy(e => e.Id, StringComparer.Ordinal)];
}
