using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Platforms.Tests.WeCom;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Samples.Tests;

/// <summary>
/// Runs samples/CommunityFunnel.Webhooks: real HTTP deliveries of the platform fixtures (a re-delivery included) end up
/// in its event-log/v1 file once each, Discord's join attributed from the invite counts it read before and after; the
/// WeCom callbacks, encrypted here, go through the URL verification, the version gap and its resync; and every event
/// reaches the member lifecycle and the reward ledger (kept in SQLite, read back after the process is killed).
/// </summary>
public sealed class WebhooksSampleTests
{
    private const string Secret = "s3cret-token";
    private const string WeComToken = "QDG6eK";
    private const string CorpId = "ww55ca070cb9b7eb22";
    private const string Chat = "wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA";
    private const string Poster = "wmOgQhDgAAuXFJGwbve4g4iXknfOAAAA";   // joined through the poster-1118 join way
    private const string Leaver = "wmOgQhDgAAy5f3Ex0iJ0PjI4VIqzBBBB";   // joined with no state, then left
    private const string Store = "wmOgQhDgAAqrStore7QrCodeAAAA";        // joined through store-sh-01: its callback is lost

    [Fact]
    public async Task Webhooks_map_Telegram_and_Discord_deliveries_into_one_event_log()
    {
        var folder = Directory.CreateTempSubdirectory("cf-webhooks-").FullName;
        var log = Path.Combine(folder, "events.jsonl");
        var invites = Path.Combine(folder, "invites.json");
        await File.WriteAllTextAsync(invites, "{\"lumenPoster\": 14, \"storeSH01\": 3}");
        var port = FreePort();
        var join = Fixture("Telegram", "chat_member_join_named_link.json");
        using var process = Start(Program(), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", log, "--telegram-secret", Secret, "--invites", invites);
        try
        {
            var listening = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("listening on", listening, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

            Assert.Equal((HttpStatusCode.OK, "1 events"), await Post(http, "telegram", join, Secret));
            Assert.Equal((HttpStatusCode.OK, "0 events"), await Post(http, "telegram", join, Secret));   // Telegram's re-delivery
            Assert.Equal(HttpStatusCode.Unauthorized, (await Post(http, "telegram", join, "wrong")).Status);
            var refused = await Post(http, "telegram", "{\"update_id\": \"1\"}", Secret);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Contains("update_id", refused.Text, StringComparison.Ordinal);

            await File.WriteAllTextAsync(invites, "{\"lumenPoster\": 15, \"storeSH01\": 3}");   // the join used lumenPoster
            Assert.Equal((HttpStatusCode.OK, "1 events"), await Post(http, "discord", Fixture("Discord", "guild_member_add.json")));
            Assert.Equal((HttpStatusCode.OK, "1 events"), await Post(http, "discord", Fixture("Discord", "message_create.json")));
            Assert.Equal((HttpStatusCode.OK, "0 events"), await Post(http, "discord", Fixture("Discord", "guild_member_update_screened.json")));
            Assert.Equal(HttpStatusCode.NotFound, (await Post(http, "wecom", "<xml/>")).Status);   // no WeCom settings, no endpoint
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // In-memory stores: the welcomes of the two joins were logged once; a restart rebuilds the state from the log
        // without carrying them out again, and the re-delivery is still a duplicate.
        Assert.Equal(2, (await process.StandardOutput.ReadToEndAsync()).Split('\n').Count(l => l.StartsWith("action Welcome ", StringComparison.Ordinal)));
        var restarted = await RunSampleAsync([], ["--out", log, "--telegram-secret", Secret, "--invites", invites], async http =>
            Assert.Equal((HttpStatusCode.OK, "0 events"), await Post(http, "telegram", join, Secret)));
        Assert.DoesNotContain("action ", restarted, StringComparison.Ordinal);

        var reader = new EventLogReader();
        var events = reader.ReadFileEvents(log).ToList();
        Assert.Equal(0, reader.Statistics.Duplicates);
        Assert.Equal(3, events.Count);
        Assert.Equal(("poster", ChannelAttribution.Exact), (events[0].Channel, events[0].EffectiveAttribution));
        Assert.StartsWith("telegram:", events[0].Id, StringComparison.Ordinal);
        Assert.Equal((EventType.Joined, "poster", ChannelAttribution.Exact), (events[1].Type, events[1].Channel, events[1].EffectiveAttribution));
        Assert.StartsWith("discord:", events[1].Id, StringComparison.Ordinal);
        Assert.Equal(EventType.Message, events[2].Type);
    }

    [Fact]
    public async Task Webhooks_feed_WeCom_Telegram_and_Discord_deliveries_to_the_lifecycle_and_the_ledger_once_each()
    {
        var folder = Directory.CreateTempSubdirectory("cf-webhooks-core-").FullName;
        var log = Path.Combine(folder, "events.jsonl");
        var db = Path.Combine(folder, "community.db");
        var groupChats = Directory.CreateDirectory(Path.Combine(folder, "groupchats")).FullName;
        var aesKey = TestWeComEncryptor.NewKey(18);
        var weCom = new TestWeComEncryptor(WeComToken, aesKey, CorpId, seed: 18);

        // What "WeCom" answers to groupchat/get: the fixture (before the leave) for the joins' channels.
        var groupChat = Fixture("WeCom", "groupchat_get.json");
        await File.WriteAllTextAsync(Path.Combine(groupChats, Chat + ".json"), groupChat);
        var share = Fixture("Telegram", "message_photo_hashtag.json");

        string[] arguments =
        [
            "--out", log, "--store", "sqlite:" + db, "--wecom-token", WeComToken, "--wecom-corp-id", CorpId, "--wecom-groupchats", groupChats,
        ];
        var environment = new Dictionary<string, string> { ["WECOM_ENCODING_AES_KEY"] = aesKey };   // a setting from the environment
        var output = await RunSampleAsync(environment, arguments, async http =>
        {
            // Saving the callback URL: WeCom sends an encrypted echo and wants the plain text back, exactly.
            var echo = weCom.Encrypt("4913652578417532");
            var signature = TestWeComEncryptor.Sign(WeComToken, "1764840000", "771455", echo);
            var verified = await Get(http, $"wecom?msg_signature={signature}&timestamp=1764840000&nonce=771455&echostr={Uri.EscapeDataString(echo)}");
            Assert.Equal((HttpStatusCode.OK, "4913652578417532"), verified);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(http, $"wecom?msg_signature={new string('0', 40)}&timestamp=1764840000&nonce=771455&echostr={Uri.EscapeDataString(echo)}")).Status);

            // Three joins; the group's details give the poster join its channel. WeCom's retry (encrypted afresh) is nothing new.
            var joins = Fixture("WeCom", "add_member_items.xml");
            Assert.Equal((HttpStatusCode.OK, "3 events"), await PostWeCom(http, weCom, joins));
            Assert.Equal((HttpStatusCode.OK, "0 events"), await PostWeCom(http, weCom, joins));
            var forged = weCom.Post(joins);
            Assert.Equal(HttpStatusCode.Unauthorized, (await PostRaw(http, $"wecom?msg_signature={new string('a', 40)}&timestamp={forged.Timestamp}&nonce={forged.Nonce}", forged.Body)).Status);

            // The store QR join's callback is lost; the leave's LastMemVer is not the version the sample knows:
            // a gap, so it fetches the group (now without the leaver, with the store join) and reconciles. The
            // first fetch answers a join time after the fetch, which the lifecycle refuses: 500, and WeCom's retry
            // finds the gap again and completes the resync.
            var after = JsonNode.Parse(groupChat)!;
            var members = after["group_chat"]!["member_list"]!.AsArray();
            members.Remove(members.Single(m => (string?)m!["userid"] == Leaver));
            after["group_chat"]!["member_version"] = "5d41402abc4b2a76b9719d911017c592";   // the leave's CurMemVer
            var store = members.Single(m => (string?)m!["userid"] == Store)!;
            store["join_time"] = 4102444800;   // 2100-01-01
            await File.WriteAllTextAsync(Path.Combine(groupChats, Chat + ".json"), after.ToJsonString());
            var leave = Fixture("WeCom", "del_member_left.xml");
            Assert.Equal(HttpStatusCode.InternalServerError, (await PostWeCom(http, weCom, leave)).Status);
            store["join_time"] = 1764846600;
            await File.WriteAllTextAsync(Path.Combine(groupChats, Chat + ".json"), after.ToJsonString());
            Assert.Equal((HttpStatusCode.OK, "0 events, resync VersionGap: 1 reconciled"), await PostWeCom(http, weCom, leave));
            Assert.Equal((HttpStatusCode.OK, "0 events"), await PostWeCom(http, weCom, leave));   // the retry: no gap, no resync

            // A share screenshot on Telegram and a message on Discord earn points; their re-deliveries nothing.
            Assert.Equal((HttpStatusCode.OK, "1 events"), await Post(http, "telegram", share));
            Assert.Equal((HttpStatusCode.OK, "0 events"), await Post(http, "telegram", share));
            var message = Fixture("Discord", "message_create.json");
            Assert.Equal((HttpStatusCode.OK, "1 events"), await Post(http, "discord", message));
            Assert.Equal((HttpStatusCode.OK, "0 events"), await Post(http, "discord", message));
        });
        Assert.EndsWith("(POST /telegram, POST /discord, GET and POST /wecom)", output.Split('\n')[0], StringComparison.Ordinal);

        var reader = new EventLogReader();
        var events = reader.ReadFileEvents(log).ToList();
        Assert.Equal(0, reader.Statistics.Duplicates);
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            [
                $"joined {Chat}/{Poster} poster",
                $"joined {Chat}/{Leaver} unknown",
                $"joined {Chat}/abel",
                $"left {Chat}/{Leaver}",
                $"joined {Chat}/{Store} store",
            ],
            events.Where(e => e.Group == Chat).Select(e => $"{e.Type.ToWireName()} {e.Group}/{e.Member}{(e.Type == EventType.Joined && e.Member != "abel" ? " " + e.Channel : "")}"));
        Assert.StartsWith("snapshot-joined:", events.Single(e => e.Member == Store).Id, StringComparison.Ordinal);
        Assert.Equal(2, events.Count(e => e.Group != Chat));   // the share and the message

        // The lifecycle and the ledger, from the SQLite file the killed process left behind.
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores($"Data Source={db}");
        await using var provider = services.BuildServiceProvider();
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();
        Assert.Equal(MemberState.Active, (await lifecycle.FindAsync(Chat, Poster))?.State);
        Assert.Equal(MemberState.Left, (await lifecycle.FindAsync(Chat, Leaver))?.State);
        Assert.Equal(MemberState.Active, (await lifecycle.FindAsync(Chat, Store))?.State);
        Assert.True((await lifecycle.FindAsync(Chat, "abel"))?.StaffOrBot);

        var grants = (await provider.GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None))
            .Select(g => (g.Kind, g.RuleId, g.Member, g.Rewards.Sum(r => r.Quantity)))
            .ToList();
        var shareEvent = events.Single(e => e.Type == EventType.TaskSubmitted);
        var messageEvent = events.Single(e => e.Type == EventType.Message);
        Assert.Equal(
            [(RewardEntryKind.Grant, "share-screenshot", shareEvent.Member, 5L), (RewardEntryKind.Grant, "first-message-of-month", messageEvent.Member, 1L)],
            grants);

        // The action handler logged each welcome once, the staff member's none.
        var welcomes = output.Split('\n').Where(l => l.StartsWith("action Welcome ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, welcomes.Count);
        Assert.Contains(welcomes, l => l.Contains($"{Chat}/{Store} ", StringComparison.Ordinal));
        await provider.DisposeAsync();   // closes the file before the restart

        // Restarted on the same log and file: the log is applied again (all duplicates now), re-deliveries stay
        // duplicates, another WeCom event is ignored, and the group's dismissal makes every member still in it leave.
        var restarted = await RunSampleAsync(environment, arguments, async http =>
        {
            Assert.Equal((HttpStatusCode.OK, "0 events"), await Post(http, "telegram", share));
            Assert.Equal((HttpStatusCode.OK, "0 events"), await PostWeCom(http, weCom, Fixture("WeCom", "add_member_items.xml")));
            Assert.Equal((HttpStatusCode.OK, "0 events"), await PostWeCom(http, weCom, Fixture("WeCom", "change_external_contact.xml")));
            var dismiss = Fixture("WeCom", "dismiss.xml");
            Assert.Equal((HttpStatusCode.OK, "0 events, resync GroupDismissed: 3 reconciled"), await PostWeCom(http, weCom, dismiss));
            Assert.Equal((HttpStatusCode.OK, "0 events, resync GroupDismissed: 0 reconciled"), await PostWeCom(http, weCom, dismiss));
        });
        Assert.DoesNotContain("action ", restarted, StringComparison.Ordinal);   // nothing new to welcome, the replay's actions were carried out before

        reader = new EventLogReader();
        events = reader.ReadFileEvents(log).ToList();
        Assert.Equal(0, reader.Statistics.Duplicates);
        Assert.Equal(
            new[] { "abel", Poster, Store }.Order(StringComparer.Ordinal),
            events.Where(e => e.Id.StartsWith("snapshot-left:", StringComparison.Ordinal)).Select(e => e.Member).Order(StringComparer.Ordinal));

        services = new ServiceCollection();
        services.AddCommunityFunnel().UseSqliteStores($"Data Source={db}");
        await using var reopened = services.BuildServiceProvider();
        lifecycle = reopened.GetRequiredService<IMemberLifecycle>();
        foreach (var member in new[] { Poster, Leaver, Store, "abel" })
        {
            Assert.Equal(MemberState.Left, (await lifecycle.FindAsync(Chat, member))?.State);
        }

        Assert.Equal(2, (await reopened.GetRequiredService<IRewardLedger>().GetEntriesAsync(CancellationToken.None)).Count);
    }

    /// <summary>Starts the sample on a free port, runs the deliveries, kills it (what was answered must already be on disk); its output.</summary>
    private static async Task<string> RunSampleAsync(Dictionary<string, string> environment, string[] arguments, Func<HttpClient, Task> deliveries)
    {
        var port = FreePort();
        using var process = Start(Program(), environment, ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]);
        string? listening = null;
        try
        {
            listening = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith($"listening on http://127.0.0.1:{port}/ ", listening, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await deliveries(http);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return listening + "\n" + await process.StandardOutput.ReadToEndAsync();
    }

    private static async Task<(HttpStatusCode Status, string Text)> PostWeCom(HttpClient http, TestWeComEncryptor weCom, string message)
    {
        var (signature, timestamp, nonce, body) = weCom.Post(message);
        return await PostRaw(http, $"wecom?msg_signature={signature}&timestamp={timestamp}&nonce={nonce}", body);
    }

    private static async Task<(HttpStatusCode Status, string Text)> PostRaw(HttpClient http, string pathAndQuery, string body)
    {
        using var response = await http.PostAsync(pathAndQuery, new StringContent(body, Encoding.UTF8, "text/xml"));
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
    }

    private static async Task<(HttpStatusCode Status, string Text)> Get(HttpClient http, string pathAndQuery)
    {
        using var response = await http.GetAsync(pathAndQuery);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Text)> Post(HttpClient http, string path, string body, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static Dictionary<string, string> Metadata() =>
        typeof(WebhooksSampleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value ?? "", StringComparer.Ordinal);

    private static string Fixture(string platform, string name) =>
        File.ReadAllText(Path.Combine(Metadata()["RepoRoot"], "tests", "CommunityFunnel.Platforms.Tests", "Fixtures", platform, name));

    private static string Program()
    {
        var metadata = Metadata();
        var path = Path.Combine(metadata["RepoRoot"], "samples", "CommunityFunnel.Webhooks", "bin", metadata["Configuration"], "net10.0", "CommunityFunnel.Webhooks.dll");
        Assert.True(File.Exists(path), $"{path} was not built; it is a project reference of this test project");
        return path;
    }

    private static Process Start(string dll, params string[] args) => Start(dll, new Dictionary<string, string>(), args);

    private static Process Start(string dll, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
