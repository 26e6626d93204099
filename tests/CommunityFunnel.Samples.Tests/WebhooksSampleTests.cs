using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using CommunityFunnel.Events;

namespace CommunityFunnel.Samples.Tests;

/// <summary>
/// Runs samples/CommunityFunnel.Webhooks: real HTTP deliveries of the platform fixtures (a re-delivery included) end up
/// in its event-log/v1 file once each, Discord's join attributed from the invite counts it read before and after.
/// </summary>
public sealed class WebhooksSampleTests
{
    private const string Secret = "s3cret-token";

    [Fact]
    public async Task Webhooks_map_Telegram_and_Discord_deliveries_into_one_event_log()
    {
        var folder = Directory.CreateTempSubdirectory("cf-webhooks-").FullName;
        var log = Path.Combine(folder, "events.jsonl");
        var invites = Path.Combine(folder, "invites.json");
        await File.WriteAllTextAsync(invites, "{\"lumenPoster\": 14, \"storeSH01\": 3}");
        var port = FreePort();
        using var process = Start(Program(), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", log, "--telegram-secret", Secret, "--invites", invites);
        try
        {
            var listening = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("listening on", listening, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

            var join = Fixture("Telegram", "chat_member_join_named_link.json");
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
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

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

    private static Process Start(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
