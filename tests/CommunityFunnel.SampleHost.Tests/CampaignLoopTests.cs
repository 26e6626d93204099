using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.SampleHost.Tests.TestSupport;
using CommunityFunnel.Simulation;
using CommunityFunnel.Tests.TestSupport;
using Xunit.Abstractions;

namespace CommunityFunnel.SampleHost.Tests;

/// <summary>
/// The sample host running docs/examples/campaign.json live (<c>CommunityFunnel:Campaign</c>) on a fake clock: a
/// simulated month posted over HTTP in time order while the scheduler ticks, then every draw, proof, entry and prize
/// checked over HTTP against a plain reference computed from the ledger.
/// </summary>
public sealed class CampaignLoopTests(ITestOutputHelper output)
{
    private const string Entropy = "63616d706169676e2d6c6f6f702d746573742d656e74726f7079";
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);
    private static readonly TimeSpan Step = TimeSpan.FromHours(6);

    /// <summary>2026-11-01 00:00 in Asia/Shanghai: where the simulated month starts.</summary>
    private static readonly DateTimeOffset MonthStart = new(2026, 10, 31, 16, 0, 0, TimeSpan.Zero);

    /// <summary>After the last weekly close (Sunday 2026-12-06 20:00 local) and two claim periods of the free-order draw.</summary>
    private static readonly DateTimeOffset End = new(2026, 12, 7, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_simulated_month_posted_over_HTTP_runs_the_example_campaign_draw_by_draw_to_verified_proofs_and_single_prizes()
    {
        using var folder = new TempFolder();
        var campaignFile = ExampleCampaign(folder.Path, freeOrderClaimPeriod: "3d");
        var events = Month(members: 60, seed: 41);
        Assert.True(events.Count is > 1000 and < 20_000, $"{events.Count} events");

        using var store = TestStore.Sqlite();
        var fake = new FakeTimeProvider(MonthStart.AddHours(-1));
        var clock = new SchedulerClock(fake, Period);
        await using var host = await RunningHost.StartAsync(store, fake, clock,
            "--CommunityFunnel:Runtime:RunScheduler=true",
            "--CommunityFunnel:Runtime:SchedulerPeriod=01:00:00",
            "--CommunityFunnel:Lottery:FixedEntropy=" + Entropy,
            "--CommunityFunnel:Campaign=" + campaignFile);
        await clock.WaitsAtLeastAsync(1);   // the tick at start

        var timer = System.Diagnostics.Stopwatch.StartNew();   // reported, never asserted
        var posted = 0;
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);   // action id -> grant key
        var ignored = new HashSet<string>(StringComparer.Ordinal);
        var ticks = 0;
        for (var at = MonthStart; at <= End; at += Step)
        {
            var upTo = posted;
            while (upTo < events.Count && events[upTo].At < at)
            {
                upTo++;
            }

            if (upTo > posted)
            {
                await host.PostAllAsync(events.GetRange(posted, upTo - posted));
                posted = upTo;
            }

            await clock.TickAtAsync(at);
            ticks++;
            await ClaimReplacementsAsync(host, claimed, ignored);
        }

        Assert.Equal(events.Count, posted);
        var elapsed = timer.Elapsed;

        var ledger = await LedgerAsync(host);
        var overview = JsonNode.Parse(await host.Http.GetStringAsync("campaign"))!;
        var draws = overview["draws"]!.AsArray().Select(d => d!).ToList();
        var ids = draws.Select(d => (string)d["drawId"]!).ToList();

        // One draw per week and one free-order draw: every draw the ledger's tickets name exists, and they are the month's
        // five Monday weeks (the simulated members only start checking in after their first day, so the week that ends on
        // Sunday 2026-11-01 gets no ticket and no draw).
        var ticketDraws = ledger.SelectMany(l => l.Rewards).Where(r => r.Kind == "Tickets").Select(r => r.Draw!).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ticketDraws, ids);
        Assert.Equal(
            ["free-order-2026-11", "weekly-2026-11-02", "weekly-2026-11-09", "weekly-2026-11-16", "weekly-2026-11-23", "weekly-2026-11-30"],
            ids);
        Assert.All(draws, d => Assert.Equal("Drawn", (string)d["state"]!));
        Assert.Equal(["free-order", "weekly", "weekly", "weekly", "weekly", "weekly"], draws.Select(d => (string)d["template"]!));

        var actions = JsonNode.Parse(await host.Http.GetStringAsync("campaign/actions"))!.AsArray().Select(a => a!).ToList();
        var report = new StringBuilder();
        var forfeits = 0;
        foreach (var id in ids)
        {
            // The proof as published verifies, and its entries are the draw's stored entries.
            var proofBytes = await host.Http.GetByteArrayAsync($"draws/{id}/proof");
            var proof = FairDrawJson.ReadProof(proofBytes);
            var verification = FairDraw.Verify(proof);
            Assert.True(verification.IsValid, $"{id}: {verification}");
            Assert.Equal(Entropy, proof.PublicEntropy);
            var stored = JsonNode.Parse(await host.Http.GetStringAsync($"draws/{id}/entries"))!.AsArray()
                .Select(e => ((string)e!["entry"]!, (long)e["tickets"]!)).OrderBy(e => e.Item1, StringComparer.Ordinal).ToList();
            Assert.Equal(stored, proof.Entries.Select(e => (e.Id, e.Weight)).OrderBy(e => e.Item1, StringComparer.Ordinal).ToList());

            // Entries equal the ledger's net tickets for the draw (grants less reversals, the refused late tickets included).
            var expected = NetTickets(ledger, id);
            Assert.True(expected.Count > 0, id);
            Assert.Equal(expected, stored);

            // Every current winner holds exactly one prize grant whose source is the draw, under the slot's key; nobody else does.
            var current = CurrentWinners(proof);
            var prizes = ledger.Where(l => l.Kind == "Grant" && l.Source == id).ToList();
            Assert.Equal(current.Count, prizes.Count);
            foreach (var ((tier, slot), (member, replacement)) in current)
            {
                var key = PrizeKey(id, tier, slot, replacement);
                var grant = Assert.Single(prizes, p => p.Key == key);
                Assert.Equal(member, grant.Member);
                Assert.DoesNotContain(ledger, l => l.Reverses == key);
            }

            foreach (var forfeited in proof.Forfeited)
            {
                Assert.DoesNotContain(prizes, p => p.Member == forfeited && !current.Values.Any(c => c.Member == forfeited));
            }

            forfeits += proof.Forfeited.Count;
            Assert.Equal(proof.Winners.Count - proof.Forfeited.Count, current.Count);

            // The handler got the draw's publication (once per publication: again after each forfeit) with the proof.
            var published = actions.Where(a => (string)a["action"]!["kind"]! == "DrawPublished" && (string)a["action"]!["drawId"]! == id).ToList();
            Assert.NotEmpty(published);
            Assert.Equal(published.Count, published.Select(a => (string)a["id"]!).Distinct().Count());
            var last = published[^1]["action"]!["proof"]!;
            Assert.Equal(proof.Winners.Count, last["winners"]!.AsArray().Count);
            report.Append(CultureInfo.InvariantCulture, $"{id}: {stored.Count} entries, {stored.Sum(e => e.Item2)} tickets, {proof.Winners.Count} winners ({proof.Forfeited.Count} forfeited); ");
        }

        // Weekly prizes are granted when drawn: each grant came with its prize_won action carrying the grant's key.
        var wonKeys = actions.Where(a => (string)a["action"]!["kind"]! == "PrizeWon" && a["action"]!["grantKey"] is not null)
            .Select(a => (string)a["action"]!["grantKey"]!).ToList();
        var weeklyKeys = ledger.Where(l => l.Kind == "Grant" && l.Source.StartsWith("weekly-", StringComparison.Ordinal)).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(weeklyKeys, wonKeys.Order(StringComparer.Ordinal).ToList());

        // The free-order prize has a 3-day claim period and its first winner never claims: forfeited once the period is
        // over, the prize moved to the replacement, who claimed it over HTTP: one grant, under replacement 1's key.
        var freeOrder = FairDrawJson.ReadProof(await host.Http.GetByteArrayAsync("draws/free-order-2026-11/proof"));
        var wonFree = actions.Where(a => (string)a["action"]!["kind"]! == "PrizeWon" && (string)a["action"]!["drawId"]! == "free-order-2026-11")
            .Select(a => a["action"]!).ToList();
        Assert.True(wonFree.Count >= 2, "the first winner told, then a replacement");
        Assert.All(wonFree, a => Assert.NotNull(a["claimBy"]));   // each told with a deadline, nothing granted yet
        Assert.All(wonFree, a => Assert.Null(a["grantKey"]));
        var first = (string)wonFree[0]["member"]!;
        Assert.Contains(first, freeOrder.Forfeited);                 // never claimed: forfeited after 3 days
        var freeGrant = Assert.Single(ledger, l => l.Kind == "Grant" && l.Source == "free-order-2026-11");
        Assert.NotEqual(first, freeGrant.Member);
        Assert.Contains(freeGrant.Key, claimed.Values);
        Assert.Equal((string)wonFree[^1]["member"]!, freeGrant.Member);
        var slotWinners = freeOrder.Winners.Where(w => w.Tier == "free-order" && w.Slot == 0).Select(w => w.Entry).ToList();
        Assert.Equal(PrizeKey("free-order-2026-11", "free-order", 0, slotWinners.IndexOf(freeGrant.Member)), freeGrant.Key);
        Assert.True(DateTimeOffset.Parse((string)wonFree[^1]["claimBy"]!, CultureInfo.InvariantCulture) > DateTimeOffset.Parse((string)wonFree[0]["claimBy"]!, CultureInfo.InvariantCulture));
        using (var late = await PostJsonAsync(host, "draws/free-order-2026-11/claim", new { member = first }))
        {
            Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);   // the forfeited winner cannot claim any more
        }

        // No prize key twice, and refused late tickets are typed.
        var grantKeys = ledger.Where(l => l.Kind == "Grant").Select(l => l.Key).ToList();
        Assert.Equal(grantKeys.Count, grantKeys.Distinct(StringComparer.Ordinal).Count());
        var refused = ledger.Count(l => l.Refusal == "DrawClosed");
        Assert.True(refused > 0, "check-ins after a Sunday's 20:00 close are refused, with the reason in the ledger");
        output.WriteLine($"{events.Count} events over HTTP, {ticks} scheduler ticks, in {elapsed.TotalSeconds:F1} s; {ledger.Count} ledger lines, {refused} tickets refused as late, {forfeits} forfeits; {report}");
    }

    [Fact]
    public async Task A_campaign_file_with_a_problem_fails_the_start_naming_the_file_and_the_problem()
    {
        using var folder = new TempFolder();
        var good = JsonNode.Parse(await File.ReadAllTextAsync(ExamplePath))!;

        var unknownDraw = good.DeepClone();
        unknownDraw["rules"]![0]!["rewards"]![0]!["draw"] = "daily-{date}";
        var missingPrizes = good.DeepClone();
        missingPrizes["templates"]![1]!.AsObject().Remove("prizes");
        var cases = new (string Name, string Text, string Problem)[]
        {
            ("not-json.json", "{ \"rules\": [", "not valid JSON"),
            ("unknown-draw.json", unknownDraw.ToJsonString(), "daily-{date}"),
            ("no-prizes.json", missingPrizes.ToJsonString(), "templates[free-order].prizes: is required"),
        };
        foreach (var (name, text, problem) in cases)
        {
            var path = Path.Combine(folder.Path, name);
            await File.WriteAllTextAsync(path, text);
            var e = Assert.Throws<InvalidOperationException>(() => SampleHostApp.Build(["--CommunityFunnel:Campaign=" + path]));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        }

        var missing = Path.Combine(folder.Path, "nope.json");
        var absent = Assert.Throws<InvalidOperationException>(() => SampleHostApp.Build(["--CommunityFunnel:Campaign=" + missing]));
        Assert.Contains(missing, absent.Message, StringComparison.Ordinal);

        var zone = Assert.Throws<InvalidOperationException>(() => SampleHostApp.Build(["--CommunityFunnel:Campaign=" + ExamplePath, "--CommunityFunnel:TimeZone=Europe/Berlin"]));
        Assert.Contains("Asia/Shanghai", zone.Message, StringComparison.Ordinal);
        Assert.Contains("Europe/Berlin", zone.Message, StringComparison.Ordinal);

        // And the example itself starts.
        using var store = TestStore.Sqlite();
        await using var host = await RunningHost.StartAsync(store, new FakeTimeProvider(MonthStart), "--CommunityFunnel:Campaign=" + ExamplePath);
        var overview = JsonNode.Parse(await host.Http.GetStringAsync("campaign"))!;
        Assert.Equal(["weekly", "free-order"], overview["templates"]!.AsArray().Select(t => (string)t!["id"]!));
        Assert.Empty(overview["draws"]!.AsArray());
        using var noCampaignStore = TestStore.Sqlite();
        await using var plain = await RunningHost.StartAsync(noCampaignStore, new FakeTimeProvider(MonthStart));
        using var none = await plain.Http.GetAsync("campaign");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    /// <summary>
    /// A simulated month (from 2026-11-01 local) in time order, with more daily check-ins and orders than the simulator
    /// makes, so that the draws have more entrants than prizes: each joined member checks in on a third of the days
    /// after joining (the rules count only those still in the group) and a third of them order once.
    /// </summary>
    internal static List<CommunityEvent> Month(int members, ulong seed)
    {
        var simulated = CommunitySimulator.Generate(new SimulationOptions { Members = members, Days = 30, Seed = seed, DuplicateRate = 0.01, OutOfOrderRate = 0 }).ToList();
        var random = new Random(unchecked((int)seed));
        var extra = new List<CommunityEvent>();
        foreach (var join in simulated.Where(e => e.Type == EventType.Joined && e.Role is null or MemberRole.Member).DistinctBy(e => (e.Group, e.Member)))
        {
            for (var day = join.At.AddDays(1); day < MonthStart.AddDays(30); day = day.AddDays(1))
            {
                if (random.Next(3) == 0)
                {
                    extra.Add(new CommunityEvent($"x-checkin-{extra.Count}", EventType.Checkin, join.Group, join.Member, day.AddMinutes(random.Next(-600, 600)), task: "daily-checkin"));
                }
            }

            if (random.Next(3) == 0)
            {
                extra.Add(new CommunityEvent($"x-order-{extra.Count}", EventType.Order, join.Group, join.Member, join.At.AddHours(random.Next(1, 500)), amount: 100 + random.Next(50_000), currency: "CNY"));
            }
        }

        return [.. simulated.Concat(extra.Where(e => e.At < MonthStart.AddDays(30))).OrderBy(e => e.AtUtcTicks).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }

    internal static string ExamplePath => Path.Combine(SampleProcess.RepoRoot, "docs", "examples", "campaign.json");

    /// <summary>docs/examples/campaign.json, the free-order template given a claim period, written into <paramref name="folder"/>.</summary>
    internal static string ExampleCampaign(string folder, string? freeOrderClaimPeriod)
    {
        var json = JsonNode.Parse(File.ReadAllText(ExamplePath))!;
        if (freeOrderClaimPeriod is not null)
        {
            var freeOrder = json["templates"]!.AsArray().Single(t => (string)t!["id"]! == "free-order")!;
            freeOrder["claimPeriod"] = freeOrderClaimPeriod;
        }

        var path = Path.Combine(folder, "campaign.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    /// <summary>
    /// Each winner told to claim claims once over HTTP (twice, to see the same grant), except the first one told for each
    /// slot, who never claims and so is forfeited when the period ends.
    /// </summary>
    private static async Task ClaimReplacementsAsync(RunningHost host, Dictionary<string, string> claimed, HashSet<string> ignored)
    {
        foreach (var a in JsonNode.Parse(await host.Http.GetStringAsync("campaign/actions"))!.AsArray())
        {
            var action = a!["action"]!;
            var id = (string)a["id"]!;
            if ((string)action["kind"]! != "PrizeWon" || action["claimBy"] is null || claimed.ContainsKey(id) || ignored.Contains(id))
            {
                continue;
            }

            var drawId = (string)action["drawId"]!;
            var member = (string)action["member"]!;
            var slot = $"{drawId}|{(string)action["tier"]!}|{(int)action["slot"]!}";
            if (ignored.Add(slot))
            {
                ignored.Add(id);   // the first told for the slot never claims
                continue;
            }

            using var response = await PostJsonAsync(host, $"draws/{drawId}/claim", new { member });
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var grantKey = (string)JsonNode.Parse(text)!["grantKey"]!;
            using var again = await PostJsonAsync(host, $"draws/{drawId}/claim", new { member });   // idempotent: the same grant
            Assert.Equal(grantKey, (string)JsonNode.Parse(await again.Content.ReadAsStringAsync())!["grantKey"]!);
            claimed[id] = grantKey;
        }
    }

    internal sealed record Line(string Key, string Member, string Kind, string Source, string? Reverses, string? Refusal, IReadOnlyList<(string Kind, long Quantity, string? Draw)> Rewards);

    internal static async Task<List<Line>> LedgerAsync(HttpClient http) =>
        [.. JsonNode.Parse(await http.GetStringAsync("ledger"))!.AsArray().Select(l => new Line(
            (string)l!["key"]!, (string)l["member"]!, (string)l["kind"]!, (string)l["source"]!, (string?)l["reverses"], (string?)l["refusal"],
            [.. l["rewards"]!.AsArray().Select(r => ((string)r!["kind"]!, (long)r["quantity"]!, (string?)r["draw"]))]))];

    private static Task<List<Line>> LedgerAsync(RunningHost host) => LedgerAsync(host.Http);

    /// <summary>The plain reference: each member's tickets for <paramref name="drawId"/> over the grants nobody reversed, members with none left out.</summary>
    internal static List<(string, long)> NetTickets(IReadOnlyList<Line> ledger, string drawId)
    {
        var reversed = ledger.Where(l => l.Kind == "Reversal" && l.Reverses is not null).Select(l => l.Reverses!).ToHashSet(StringComparer.Ordinal);
        var net = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var l in ledger.Where(l => l.Kind == "Grant" && !reversed.Contains(l.Key)))
        {
            foreach (var r in l.Rewards.Where(r => r.Kind == "Tickets" && r.Draw == drawId))
            {
                net[l.Member] = net.GetValueOrDefault(l.Member) + r.Quantity;
            }
        }

        return [.. net.Where(kv => kv.Value > 0).Select(kv => (kv.Key, kv.Value)).OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    /// <summary>Each slot's current winner (the last one drawn for it) and how many winners of the slot came before.</summary>
    internal static Dictionary<(string Tier, int Slot), (string Member, int Replacement)> CurrentWinners(DrawProof proof)
    {
        var last = new Dictionary<(string, int), (string? Entry, int Replacement)>();
        foreach (var w in proof.Winners)
        {
            last[(w.Tier, w.Slot)] = (w.Entry, last.TryGetValue((w.Tier, w.Slot), out var before) ? before.Replacement + 1 : 0);
        }

        var current = new Dictionary<(string, int), (string, int)>();
        foreach (var (slot, (entry, replacement)) in last)
        {
            if (entry is not null)   // null: no entrant was left to replace the forfeited one
            {
                Assert.False(proof.Forfeited.Contains(entry), $"{proof.DrawId}: the forfeited {entry} is the current winner of {slot}");
                current[slot] = (entry, replacement);
            }
        }

        return current;
    }

    /// <summary>The prize key as issue 25 and docs/sample-host.md name it: draw id, tier, slot, replacement.</summary>
    internal static string PrizeKey(string drawId, string tier, int slot, int replacement) =>
        string.Create(CultureInfo.InvariantCulture, $"draw|{drawId.Length}:{drawId}|{tier.Length}:{tier}|{slot}|{replacement}");

    private static Task<HttpResponseMessage> PostJsonAsync(RunningHost host, string path, object body) =>
        host.Http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    internal sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cf-campaign-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
