using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Events;
using CommunityFunnel.WeCom;
using static CommunityFunnel.Platforms.Tests.EventLogRoundTrip;

namespace CommunityFunnel.Platforms.Tests.WeCom;

/// <summary>
/// The property behind WeCom's retries and reordering: mapping a group's callbacks, each delivered any number of
/// times in any order (and encrypted afresh each time), gives the same event log after the reader's dedupe as
/// mapping each once in order. Seeded: a failure names its seed.
/// </summary>
public sealed class WeComRedeliveryPropertyTests
{
    private const string Token = "t0ken";
    private const string CorpId = "ww55ca070cb9b7eb22";
    private const string Chat = "wrPropertyChat";
    private static readonly string Key = TestWeComEncryptor.NewKey(3);

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
        var messages = Chain(random, count: random.Next(1, 25));
        var withDetails = random.Next(2) == 0;
        var details = withDetails ? DetailsFor(messages) : null;
        var mapper = new WeComChatMapper(new Dictionary<string, string> { ["s-1"] = "poster" });

        var once = Log(messages.SelectMany(m => Receive(mapper, Deliver(new TestWeComEncryptor(Token, Key, CorpId, seed), m), details)));
        var onceEvents = Read(once, out var onceDuplicates);
        Assert.Equal(0, onceDuplicates);

        var deliveries = new List<string>();
        foreach (var m in messages)
        {
            for (var n = random.Next(1, 5); n > 0; n--)
            {
                deliveries.Add(m);
            }
        }

        Shuffle(deliveries, random);
        var sender = new TestWeComEncryptor(Token, Key, CorpId, seed + 1000);
        string? known = null;
        var mapped = new List<CommunityEvent>();
        foreach (var m in deliveries)
        {
            var change = Open(Deliver(sender, m));
            var result = mapper.Map(change, known, details);
            mapped.AddRange(result.Events);
            known = result.MemberVersion;
        }

        var again = Read(Log(mapped), out var duplicates);
        Assert.Equal(Sorted(onceEvents), Sorted(again));
        Assert.Equal(mapped.Count - again.Count, duplicates);
    }

    private static List<CommunityEvent> Sorted(IEnumerable<CommunityEvent> events) => [.. events.OrderBy(e => e.Id, StringComparer.Ordinal)];

    private static (string Signature, string Timestamp, string Nonce, string Body) Deliver(TestWeComEncryptor sender, string message) => sender.Post(message);

    private static WeComChatChange Open((string Signature, string Timestamp, string Nonce, string Body) post)
    {
        var xml = new WeComCallbackCrypto(Token, Key, CorpId).DecryptMessage(post.Signature, post.Timestamp, post.Nonce, post.Body);
        Assert.True(WeComChatChange.TryParse(xml, out var change));
        return change;
    }

    private static IReadOnlyList<CommunityEvent> Receive(WeComChatMapper mapper, (string, string, string, string) post, WeComGroupChat? details) =>
        mapper.Map(Open(post), null, details).Events;

    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A chain of member changes (joins, leaves, removals, other updates), versions linked, in both list forms.</summary>
    private static List<string> Chain(Random random, int count)
    {
        var messages = new List<string>();
        var present = new List<string>();
        var version = Version(0);
        var time = 1764846000L;
        for (var i = 1; i <= count; i++)
        {
            time += random.Next(0, 3); // several changes in the same second happen
            var next = Version(i);
            var join = present.Count == 0 || random.Next(3) != 0;
            string detail;
            List<string> members;
            if (random.Next(8) == 0)
            {
                detail = "change_name";
                members = [];
            }
            else if (join)
            {
                detail = "add_member";
                members = [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => "wm" + random.Next(0, 40).ToString(CultureInfo.InvariantCulture))];
                present.AddRange(members.Where(m => !present.Contains(m)));
            }
            else
            {
                detail = "del_member";
                members = [present[random.Next(present.Count)]];
                present.Remove(members[0]);
            }

            var list = random.Next(2) == 0
                ? "<MemChangeList><![CDATA[" + string.Join(",", members) + "]]></MemChangeList>"
                : "<MemChangeList>" + string.Concat(members.Select(m => $"<Item><![CDATA[{m}]]></Item>")) + "</MemChangeList>";
            var scene = detail == "add_member" ? $"<JoinScene>{(random.Next(2) == 0 ? 0 : 3)}</JoinScene>" : $"<QuitScene>{random.Next(2)}</QuitScene>";
            var versions = detail == "change_name" ? "" : $"<LastMemVer><![CDATA[{version}]]></LastMemVer><CurMemVer><![CDATA[{next}]]></CurMemVer>";
            messages.Add(
                $"<xml><ToUserName><![CDATA[{CorpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>{time}</CreateTime>"
                + $"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[{Chat}]]></ChatId>"
                + $"<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[{detail}]]></UpdateDetail>{scene}"
                + $"<MemChangeCnt>{members.Count}</MemChangeCnt>{list}{versions}</xml>");
            if (detail != "change_name")
            {
                version = next;
            }
        }

        return messages;
    }

    private static WeComGroupChat DetailsFor(List<string> messages) => new()
    {
        ChatId = Chat,
        Members = [.. Enumerable.Range(0, 40).Select(i => new WeComGroupMember(
            "wm" + i.ToString(CultureInfo.InvariantCulture),
            i % 7 == 0 ? 1 : 2,
            DateTimeOffset.FromUnixTimeSeconds(1764846000),
            1 + (i % 3),
            i % 2 == 0 ? "staff-a" : null,
            i % 3 == 0 ? null : "s-" + (i % 4).ToString(CultureInfo.InvariantCulture)))],
    };

    private static string Version(int i) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("v" + i.ToString(CultureInfo.InvariantCulture))));
}
