using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using CommunityFunnel.SampleHost.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CommunityFunnel.SampleHost.Tests;

/// <summary>
/// kill -9 of the sample host (real OS processes) while its scheduler closes a week's draw of 1,200 entrants and 201
/// prizes: the tickets are granted first (the clock before the close), then the host is restarted with its clock
/// (<c>CommunityFunnel:Sample:ClockStart</c>, real speed) just past the close and killed at set points of the close
/// (mid-entry, closed, drawn, mid-prizes), restarted each time on the same store. After each kill and at the end: no
/// draw half drawn, no prize key twice, and at the end every ticket granted before the close in the draw's entries.
/// </summary>
[Collection(SampleProcess.Collection)]
public sealed class CampaignCrashTests(ITestOutputHelper output)
{
    private const string DrawId = "weekly-2026-11-30";
    private const string Entropy = "6b696c6c2d392d647572696e672d636c6f7365";
    private const int Members = 1200;
    private const int Slots = 1 + 40 + 160;

    /// <summary>Sunday 2026-12-06 20:00 in Asia/Shanghai: the week's close.</summary>
    private static readonly DateTimeOffset Close = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Killed_with_SIGKILL_at_each_step_of_a_draws_close_on_SQLite_the_restarted_host_finishes_it_with_nothing_twice_and_no_ticket_lost()
    {
        using var folder = new CampaignLoopTests.TempFolder();
        var file = Path.Combine(folder.Path, "host.db");
        var campaign = WriteCampaign(folder.Path);
        string[] store = ["--CommunityFunnel:Sqlite=" + file];
        var events = Checkins();
        var timer = Stopwatch.StartNew();

        // The week's tickets, granted before the close (the scheduler off: nothing closes yet).
        using (var feeder = await SampleProcess.StartAsync("feed", string.Empty, [.. store, "--CommunityFunnel:Campaign=" + campaign, "--CommunityFunnel:Sample:ClockStart=2026-12-06T11:00:00Z"]))
        {
            await FeedAsync(feeder, events);
            feeder.Kill();
        }

        var fed = timer.Elapsed;
        var log = new List<string>();
        var kills = new (string What, Func<Progress, bool> Reached)[]
        {
            ("mid-entry (300 entered)", p => p.Entries >= 300),
            ("closed", p => p.State is not null and not "Open" and not "Created"),
            ("drawn", p => p.State == "Drawn"),
            ("mid-prizes (60 granted)", p => p.Prizes >= 60),
        };
        var instance = 0;
        foreach (var (what, reached) in kills)
        {
            using var host = await StartLiveAsync($"crash-{instance++}", string.Empty, campaign, store);
            var seen = await KillWhenAsync(host, reached);
            var after = await InspectAsync(ServicesOnSqlite(file));
            log.Add($"killed at {what}: saw {seen}, stored {after}");
        }

        using (var last = await StartLiveAsync($"crash-{instance}", string.Empty, campaign, store))
        {
            var done = await UntilDoneAsync(last);
            log.Add($"restarted: {done}");
            await AssertCompleteAsync(last, events);
        }

        output.WriteLine($"{events.Count} check-ins of {Members} members fed in {fed.TotalSeconds:F1} s; whole test {timer.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(string.Join('\n', log));
    }

    [PostgreSqlFact]
    public async Task Two_instances_on_PostgreSQL_one_killed_mid_close_the_other_and_a_restart_finish_the_draw_with_nothing_twice_and_no_ticket_lost()
    {
        using var store = TestStore.PostgreSql();
        using var folder = new CampaignLoopTests.TempFolder();
        var campaign = WriteCampaign(folder.Path);
        var cs = store.ConnectionString!;
        var events = Checkins();
        var timer = Stopwatch.StartNew();
        using (var feeder = await SampleProcess.StartAsync("feed", cs, "--CommunityFunnel:Campaign=" + campaign, "--CommunityFunnel:Sample:ClockStart=2026-12-06T11:00:00Z"))
        {
            await FeedAsync(feeder, events);
            feeder.Kill();
        }

        var fed = timer.Elapsed;
        var log = new List<string>();
        var starting = new[] { StartLiveAsync("A", cs, campaign, []), StartLiveAsync("B", cs, campaign, []) };
        using var a = await starting[0];
        using var b = await starting[1];
        log.Add("A killed: saw " + await KillWhenAsync(a, p => p.Entries >= 300) + ", stored " + await InspectAsync(ServicesOnPostgreSql(cs)));
        var bSaw = await KillWhenAsync(b, p => p.State is not null and not "Open" and not "Created");
        log.Add("B killed: saw " + bSaw + ", stored " + await InspectAsync(ServicesOnPostgreSql(cs)));

        // A restarted and B restarted, both running the campaign: they finish it between them.
        var restarting = new[] { StartLiveAsync("A2", cs, campaign, []), StartLiveAsync("B2", cs, campaign, []) };
        using var a2 = await restarting[0];
        using var b2 = await restarting[1];
        log.Add("restarted A2: " + await UntilDoneAsync(a2));
        await Task.Delay(TimeSpan.FromSeconds(3));   // a few more ticks of both: nothing may change any more
        log.Add("B2 after 3 s more: " + await ProgressAsync(b2.Http));
        await AssertCompleteAsync(b2, events);
        output.WriteLine($"{events.Count} check-ins of {Members} members fed in {fed.TotalSeconds:F1} s; whole test {timer.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(string.Join('\n', log));
    }

    /// <summary>What the host shows of the close: the draw's state, its stored entries, the prizes granted.</summary>
    internal sealed record Progress(string? State, int Entries, int Prizes, bool HasRoot)
    {
        public override string ToString() => $"{State ?? "no draw"}{(State == "Closed" ? HasRoot ? " (root)" : " (no root yet)" : string.Empty)}, {Entries} entries, {Prizes} prizes";
    }

    private static Task<SampleProcess> StartLiveAsync(string id, string connectionString, string campaign, string[] store) =>
        SampleProcess.StartAsync(id, connectionString,
        [
            .. store,
            "--CommunityFunnel:Campaign=" + campaign,
            "--CommunityFunnel:Runtime:RunScheduler=true",
            "--CommunityFunnel:Runtime:SchedulerPeriod=00:00:01",
            "--CommunityFunnel:Lottery:FixedEntropy=" + Entropy,
            "--CommunityFunnel:Sample:ClockStart=" + Close.AddSeconds(1).ToString("O", CultureInfo.InvariantCulture),
        ]);

    /// <summary>Polls until <paramref name="reached"/>, then SIGKILL; returns what it saw last.</summary>
    private static async Task<Progress> KillWhenAsync(SampleProcess host, Func<Progress, bool> reached)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            Progress seen;
            try
            {
                seen = await ProgressAsync(host.Http);
            }
            catch (HttpRequestException)
            {
                seen = new Progress("unreachable", 0, 0, false);
            }

            if (reached(seen) || DateTime.UtcNow > giveUp)
            {
                host.Kill();
                Assert.True(reached(seen), $"{host.InstanceId} never reached the kill point; last seen {seen}\n{host.Output[^Math.Min(host.Output.Length, 4000)..]}");
                return seen;
            }

            await Task.Delay(10);
        }
    }

    private static async Task<Progress> UntilDoneAsync(SampleProcess host)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(40);
        while (true)
        {
            var seen = await ProgressAsync(host.Http);
            if (seen is { State: "Drawn", Prizes: Slots })
            {
                return seen;
            }

            Assert.True(DateTime.UtcNow < giveUp, $"{host.InstanceId} did not finish the draw within 40 s: {seen}\n{host.Output[^Math.Min(host.Output.Length, 4000)..]}");
            await Task.Delay(50);
        }
    }

    private static async Task<Progress> ProgressAsync(HttpClient http)
    {
        using var response = await http.GetAsync($"draws/{DrawId}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new Progress(null, 0, 0, false);
        }

        var record = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var entries = JsonNode.Parse(await http.GetStringAsync($"draws/{DrawId}/entries"))!.AsArray().Count;
        var prizes = JsonNode.Parse(await http.GetStringAsync("ledger?draw=" + DrawId))!.AsArray().Count(l => (string)l!["source"]! == DrawId && (string)l["kind"]! == "Grant");
        return new Progress((string)record["state"]!, entries, prizes, record["entriesRoot"] is not null);
    }

    /// <summary>The stored state, read with the library's own stores while no host runs: never half drawn, no key twice.</summary>
    private static async Task<Progress> InspectAsync(ServiceProvider services)
    {
        await using var _ = services;
        var record = await services.GetRequiredService<IDrawService>().GetAsync(DrawId);
        var ledger = await services.GetRequiredService<IRewardLedger>().GetEntriesAsync(default);
        var keys = ledger.Select(e => e.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        if (record is not null)
        {
            Assert.Equal(record.State == DrawState.Drawn, record.Proof is not null);
            if (record.Proof is { } proof)
            {
                Assert.True(FairDraw.Verify(proof).IsValid, FairDraw.Verify(proof).ToString());
            }
        }

        var entries = record is null ? 0 : (await services.GetRequiredService<IDrawStore>().GetEntriesAsync(DrawId, default)).Count;
        return new Progress(record?.State.ToString(), entries, ledger.Count(e => e.Kind == RewardEntryKind.Grant && e.RuleId == DrawId), record?.EntriesRoot is not null);
    }

    private async Task AssertCompleteAsync(SampleProcess host, List<CommunityEvent> events)
    {
        var proof = FairDrawJson.ReadProof(await host.Http.GetByteArrayAsync($"draws/{DrawId}/proof"));
        Assert.True(FairDraw.Verify(proof).IsValid, FairDraw.Verify(proof).ToString());
        var ledger = await CampaignLoopTests.LedgerAsync(host.Http);
        Assert.DoesNotContain(ledger, l => l.Refusal is not null);   // every ticket was granted before the close

        // Every ticket granted before the close is in the draw: the entries are the ledger's net tickets, which are the
        // check-ins' distinct days per member.
        var expected = events.GroupBy(e => e.Member).Select(g => (g.Key, (long)g.Select(e => e.At.ToOffset(TimeSpan.FromHours(8)).Date).Distinct().Count()))
            .OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, CampaignLoopTests.NetTickets(ledger, DrawId));
        var stored = JsonNode.Parse(await host.Http.GetStringAsync($"draws/{DrawId}/entries"))!.AsArray()
            .Select(e => ((string)e!["entry"]!, (long)e["tickets"]!)).OrderBy(e => e.Item1, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, stored);
        Assert.Equal(expected, proof.Entries.Select(e => (e.Id, e.Weight)).ToList());

        // One prize per slot under its key, to the slot's winner; no key twice in the ledger.
        var keys = ledger.Select(l => l.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        var current = CampaignLoopTests.CurrentWinners(proof);
        Assert.Equal(Slots, current.Count);
        var prizes = ledger.Where(l => l.Kind == "Grant" && l.Source == DrawId).ToList();
        Assert.Equal(Slots, prizes.Count);
        foreach (var ((tier, slot), (member, replacement)) in current)
        {
            Assert.Equal(member, Assert.Single(prizes, p => p.Key == CampaignLoopTests.PrizeKey(DrawId, tier, slot, replacement)).Member);
        }

        output.WriteLine($"{proof.EntryCount} entries, {proof.TotalWeight} tickets, {prizes.Count} prizes, proof verifies");
    }

    private static async Task FeedAsync(SampleProcess host, List<CommunityEvent> events)
    {
        foreach (var batch in events.Chunk(400))
        {
            using var content = new StringContent(RunningHost.Lines(batch), Encoding.UTF8, "application/x-ndjson");
            using var response = await host.Http.PostAsync("events", content);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Each member checks in on one to three days of the week (2026-11-30 to 2026-12-05, local), before the close.</summary>
    internal static List<CommunityEvent> Checkins()
    {
        var random = new Random(25);
        var events = new List<CommunityEvent>();
        var monday = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8));
        for (var m = 0; m < Members; m++)
        {
            var days = Enumerable.Range(0, 6).OrderBy(_ => random.Next()).Take(1 + (m % 3 == 0 ? random.Next(3) : 0));
            foreach (var day in days)
            {
                events.Add(new CommunityEvent(
                    $"c-{m.ToString("D5", CultureInfo.InvariantCulture)}-{day.ToString(CultureInfo.InvariantCulture)}", EventType.Checkin, "g-1",
                    $"m-{m.ToString("D5", CultureInfo.InvariantCulture)}", monday.AddDays(day).AddMinutes(random.Next(600)), task: "daily-checkin"));
            }
        }

        return [.. events.OrderBy(e => e.AtUtcTicks).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    internal static string WriteCampaign(string folder)
    {
        const string Json = """
            {
              "timeZone": "Asia/Shanghai",
              "rules": [
                { "id": "checkin-weekly-ticket", "trigger": { "kind": "checkin" },
                  "rewards": [{ "kind": "tickets", "quantity": 1, "draw": "weekly-{week}" }], "limits": { "perMemberPerDay": 1 } }
              ],
              "templates": [
                { "id": "weekly", "drawIdPattern": "weekly-{week}", "opensOn": "monday", "opensAt": "00:00", "closesOn": "sunday", "closesAt": "20:00",
                  "entropy": "registered",
                  "prizes": [
                    { "tier": "first", "count": 1, "reward": { "kind": "prize", "prize": "the newest lipstick" } },
                    { "tier": "second", "count": 40, "reward": { "kind": "coupon", "coupon": { "kind": "percentOff", "percentOff": 20, "validDays": 14 } } },
                    { "tier": "third", "count": 160, "reward": { "kind": "points", "quantity": 10 } }
                  ] }
              ]
            }
            """;
        var path = Path.Combine(folder, "crash-campaign.json");
        File.WriteAllText(path, Json);
        return path;
    }

    private static ServiceProvider ServicesOnSqlite(string file)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel(o => o.TimeZoneId = "Asia/Shanghai").UseSqliteStores("Data Source=" + file);
        return services.BuildServiceProvider();
    }

    private static ServiceProvider ServicesOnPostgreSql(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel(o => o.TimeZoneId = "Asia/Shanghai").UsePostgreSqlStores(connectionString);
        return services.BuildServiceProvider();
    }
}
