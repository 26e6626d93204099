using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.SampleHost.Tests.TestSupport;
using CommunityFunnel.Simulation;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CommunityFunnel.SampleHost.Tests;

/// <summary>
/// samples/CommunityFunnel.SampleHost started in-process on Kestrel (loopback, a free port) and driven over real HTTP:
/// a simulated day posted twice, the activation report against <see cref="ActivationCalculator"/>, malformed bodies, a
/// draw to a verified proof, the action handler's deliveries, the health check.
/// </summary>
public sealed class SampleHostTests(ITestOutputHelper output)
{
    /// <summary>The host's (fake) clock: after the simulated day (2026-11-01 in Asia/Shanghai) and its windows.</summary>
    private static readonly DateTimeOffset Now = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public Task A_simulated_day_posted_twice_is_applied_once_reported_as_the_calculator_says_and_its_actions_delivered_on_SQLite() =>
        SmokeAsync(TestStore.Sqlite(), "SQLite");

    [PostgreSqlFact]
    public Task A_simulated_day_posted_twice_is_applied_once_reported_as_the_calculator_says_and_its_actions_delivered_on_PostgreSQL() =>
        SmokeAsync(TestStore.PostgreSql(), "PostgreSQL");

    [Fact]
    public async Task A_malformed_line_answers_400_with_its_line_number_and_nothing_of_the_body_is_stored()
    {
        using var store = TestStore.Sqlite();
        await using var host = await RunningHost.StartAsync(store, new FakeTimeProvider(Now));
        var events = SimulatedDay().DistinctBy(e => e.Id).Take(12).ToList();
        var lines = RunningHost.Lines(events).TrimEnd('\n').Split('\n').ToList();

        lines.Insert(6, "{\"id\":\"bad-1\",\"type\":\"joined\",\"group\":\"g\",\"member\":\"m\"}");   // line 7: no 'at'
        await AssertBadLineAsync(host, string.Join('\n', lines), 7, "MissingField");
        lines.RemoveAt(6);

        lines.Insert(2, "{\"id\": \"bad-2\", \"type\": ");                                        // line 3: not JSON
        await AssertBadLineAsync(host, string.Join('\n', lines), 3, "InvalidJson");
        lines.RemoveAt(2);

        lines.Add("{\"id\":\"bad-3\",\"type\":\"joined\",\"group\":\"g\",\"member\":\"m\",\"at\":\"2026-11-01T10:00:00\"}");   // last: no offset
        await AssertBadLineAsync(host, string.Join('\n', lines), 13, "InstantWithoutOffset");
        lines.RemoveAt(12);

        Assert.Empty(await StoredAsync(host));
        var log = host.Services.GetRequiredService<IEventLogStore>();
        Assert.Empty(await log.ListGroupsAsync(default));

        // Nothing of those bodies was taken: the good lines alone (blank lines between them are skipped) are all new.
        using var good = await host.PostEventsAsync(string.Join("\n\n", lines) + "\n");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(new EventsAccepted(12, 0, Actions: ActionsOf(await good.Content.ReadAsStringAsync())), JsonSerializer.Deserialize<EventsAccepted>(await good.Content.ReadAsStringAsync(), RunningHost.Json));
        Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), (await StoredAsync(host)).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_body_of_32_MiB_is_taken_and_one_byte_more_is_refused_with_413_and_nothing_submitted()
    {
        using var store = TestStore.Sqlite();
        await using var host = await RunningHost.StartAsync(store, new FakeTimeProvider(Now));
        var line = RunningHost.Lines(SimulatedDay().Take(1));
        var padding = new string('\n', (int)EventEndpoints.MaxBodyBytes - Encoding.UTF8.GetByteCount(line));   // blank lines are skipped

        using (var most = await host.PostEventsAsync(line + padding))
        {
            Assert.Equal(HttpStatusCode.OK, most.StatusCode);
            Assert.Equal(1, JsonSerializer.Deserialize<EventsAccepted>(await most.Content.ReadAsStringAsync(), RunningHost.Json)!.Applied);
        }

        var other = RunningHost.Lines(SimulatedDay().Skip(1).Take(1));
        // Expect: 100-continue, so that the client waits for the server's answer before it sends the body (otherwise it
        // may still be writing when Kestrel answers 413 and closes the connection).
        using (var request = new HttpRequestMessage(HttpMethod.Post, "events")
        {
            Content = new StringContent(other + padding + new string('\n', Encoding.UTF8.GetByteCount(line) - Encoding.UTF8.GetByteCount(other) + 1), Encoding.UTF8, "application/x-ndjson"),
        })
        {
            request.Headers.ExpectContinue = true;
            using var tooMuch = await host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMuch.StatusCode);
            Assert.Equal("application/problem+json", tooMuch.Content.Headers.ContentType!.MediaType);
        }

        Assert.Single(await StoredAsync(host));
    }

    [Fact]
    public async Task One_pretty_printed_JSON_object_is_one_event_and_a_duplicate_in_one_body_is_counted_as_a_duplicate()
    {
        using var store = TestStore.Sqlite();
        await using var host = await RunningHost.StartAsync(store, new FakeTimeProvider(Now));
        const string Pretty = """
            {
              "id": "tg-1",
              "type": "joined",
              "group": "g-7",
              "member": "u-1",
              "at": "2026-11-01T09:30:00+08:00",
              "channel": "poster-a"
            }
            """;
        using var one = await host.PostEventsAsync(Pretty, "application/json; charset=utf-8");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal(new EventsAccepted(1, 0, 1), JsonSerializer.Deserialize<EventsAccepted>(await one.Content.ReadAsStringAsync(), RunningHost.Json));   // the welcome

        // The same object as plain JSON Lines, twice in one body with a new event between: two duplicates, one applied.
        var line = Pretty.Replace("\n", string.Empty, StringComparison.Ordinal);
        var message = "{\"id\":\"tg-2\",\"type\":\"message\",\"group\":\"g-7\",\"member\":\"u-1\",\"at\":\"2026-11-01T09:31:00+08:00\"}";
        using var lines = await host.PostEventsAsync(line + "\n" + message + "\n" + line + "\n", "application/json");
        Assert.Equal(new EventsAccepted(1, 2, 0), JsonSerializer.Deserialize<EventsAccepted>(await lines.Content.ReadAsStringAsync(), RunningHost.Json));

        var member = JsonNode.Parse(await host.Http.GetStringAsync("members/g-7/u-1"))!;
        Assert.Equal("Active", (string)member["state"]!);
        Assert.Equal(2, (long)member["version"]!);
        Assert.True((bool)member["activatedWithinWindow"]!);
        using var unknown = await host.Http.GetAsync("members/g-7/nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_activation_report_names_a_bad_asOf_or_by_and_defaults_asOf_to_the_host_clock()
    {
        using var store = TestStore.Sqlite();
        var clock = new FakeTimeProvider(Now);
        await using var host = await RunningHost.StartAsync(store, clock);
        var events = SimulatedDay();
        await host.PostAllAsync(events);

        foreach (var (query, parameter) in new[]
        {
            ("asOf=2026-11-02T00:00:00", "asOf"),          // no offset: refused, never read in the machine's zone
            ("asOf=yesterday", "asOf"),
            ("asOf=2026-13-01T00:00:00Z", "asOf"),
            ("by=week", "by"),
            ("asOf=2026-11-02T00:00:00Z&by=", "by"),
        })
        {
            using var response = await host.Http.GetAsync("reports/activation?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(parameter, (string)problem["parameter"]!);
            Assert.Contains(parameter, (string)problem["title"]!, StringComparison.Ordinal);
        }

        // No asOf: the host's clock. Moving the clock back into the day changes the answer (joins become pending).
        var distinct = events.DistinctBy(e => e.Id).ToList();
        AssertSameReport(Expected(distinct, Now, ActivationBreakdownBy.None), await host.Http.GetStringAsync("reports/activation"));
        var midDay = new DateTimeOffset(2026, 11, 1, 16, 0, 0, TimeSpan.FromHours(8));   // echoed with the offset asked for
        var atMidDay = Expected(distinct, midDay, ActivationBreakdownBy.Channel);
        Assert.True(atMidDay.Pending > 0);
        AssertSameReport(atMidDay, await host.Http.GetStringAsync("reports/activation?asOf=2026-11-01T16:00:00%2B08:00&by=CHANNEL"));
    }

    [Fact]
    public async Task A_draw_is_created_entered_advanced_past_its_close_with_fixed_entropy_and_its_proof_verifies()
    {
        const string Entropy = "4c6f74746572792031383a20332031322032372033302034312034352028313029";
        using var store = TestStore.Sqlite();
        var clock = new FakeTimeProvider(Now);
        await using var host = await RunningHost.StartAsync(store, clock, "--CommunityFunnel:Lottery:FixedEntropy=" + Entropy);
        var closesAt = Now.AddHours(1);

        using var created = await PostJsonAsync(host, "draws", new { drawId = "weekly-48", prizes = new[] { new { tier = "first", count = 1 }, new { tier = "second", count = 3 } }, closesAt = closesAt.ToString("O") });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal("Open", (string)record["state"]!);
        var commitment = (string)record["commitment"]!;
        Assert.Matches("^[0-9a-f]{64}$", commitment);

        using (var again = await PostJsonAsync(host, "draws", new { drawId = "weekly-48", prizes = new[] { new { tier = "first", count = 1 } } }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (var noPrizes = await PostJsonAsync(host, "draws", new { drawId = "empty" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noPrizes.StatusCode);
            Assert.Equal("prizes", (string)JsonNode.Parse(await noPrizes.Content.ReadAsStringAsync())!["field"]!);
        }

        for (var i = 0; i < 12; i++)
        {
            using var entered = await PostJsonAsync(host, "draws/weekly-48/entries", new { entry = $"m-{i:D3}", tickets = 1 + (i % 4) });
            Assert.Equal(HttpStatusCode.OK, entered.StatusCode);
        }

        using (var early = await host.Http.PostAsync("draws/weekly-48/advance", null))
        {
            Assert.Equal("Open", (string)JsonNode.Parse(await early.Content.ReadAsStringAsync())!["state"]!);   // not due yet
        }

        using (var notYet = await host.Http.GetAsync("draws/weekly-48/proof"))
        {
            Assert.Equal(HttpStatusCode.Conflict, notYet.StatusCode);
        }

        using (var unknown = await host.Http.GetAsync("draws/nope/proof"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        clock.SetUtcNow(closesAt.AddMinutes(1));
        using (var advanced = await host.Http.PostAsync("draws/weekly-48/advance", null))
        {
            Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
            var drawn = JsonNode.Parse(await advanced.Content.ReadAsStringAsync())!;
            Assert.Equal("Drawn", (string)drawn["state"]!);
            Assert.Equal(closesAt.AddMinutes(1), DateTimeOffset.Parse((string)drawn["closedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        }

        var proofBytes = await host.Http.GetByteArrayAsync("draws/weekly-48/proof");
        var proof = FairDrawJson.ReadProof(proofBytes);   // what `community-funnel draw verify FILE` reads, then FairDraw.Verify
        Assert.True(FairDraw.Verify(proof).IsValid, FairDraw.Verify(proof).ToString());
        Assert.Equal(DrawProof.CurrentVersion, proof.Version);
        Assert.Equal(commitment, proof.Commitment);
        Assert.Equal(Entropy, proof.PublicEntropy);
        Assert.Equal(12, proof.EntryCount);
        Assert.Equal(Enumerable.Range(0, 12).Sum(i => 1 + (i % 4)), proof.TotalWeight);
        Assert.Equal(4, proof.Winners.Count);

        // Exactly the library's bytes for the stored record, and the record endpoint carries the same proof.
        var stored = await host.Services.GetRequiredService<IDrawService>().GetAsync("weekly-48");
        Assert.Equal(FairDrawJson.ProofToJson(stored!.Proof!), Encoding.UTF8.GetString(proofBytes));
        var recordJson = JsonNode.Parse(await host.Http.GetStringAsync("draws/weekly-48"))!;
        Assert.Equal(proof.ServerSeed, (string)recordJson["proof"]!["serverSeed"]!);

        // A tampered proof does not verify: the check is real.
        var tampered = proof with { PublicEntropy = proof.PublicEntropy[..^2] + "00" };
        Assert.False(FairDraw.Verify(tampered).IsValid);
    }

    [Fact]
    public async Task Health_reports_the_runtime_health_degraded_above_the_configured_backlog_and_when_the_oldest_action_waits_too_long()
    {
        using var store = TestStore.Sqlite();
        var clock = new FakeTimeProvider(Now);
        await using var host = await RunningHost.StartAsync(store, clock,
            "--CommunityFunnel:Outbox:RunDispatcher=false", "--CommunityFunnel:Health:OutboxBacklogDegradedAbove=3", "--CommunityFunnel:Health:OutboxLagLimit=00:10:00");
        Assert.Equal(("Healthy", 0L), await HealthAsync(host));

        var joins = SimulatedDay().Where(e => e.Type == EventType.Joined && e.Role == MemberRole.Member).DistinctBy(e => (e.Group, e.Member)).Take(4).ToList();
        var (_, _, actions) = await host.PostAllAsync(joins.Take(3).ToList());
        Assert.Equal(3, actions);   // three welcomes, waiting: nobody delivers on this instance
        Assert.Equal(("Healthy", 0L + 3), await HealthAsync(host));

        await host.PostAllAsync(joins.Skip(3).ToList());
        Assert.Equal(("Degraded", 4L), await HealthAsync(host));
        Assert.Contains("4 outbox actions wait", await ProblemsAsync(host), StringComparison.Ordinal);

        using var lagging = TestStore.Sqlite();
        var lagClock = new FakeTimeProvider(Now);
        await using var lagHost = await RunningHost.StartAsync(lagging, lagClock,
            "--CommunityFunnel:Outbox:RunDispatcher=false", "--CommunityFunnel:Health:OutboxLagLimit=00:10:00");
        await lagHost.PostAllAsync(joins.Take(1).ToList());
        lagClock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(("Healthy", 1L), await HealthAsync(lagHost));   // exactly the limit: not more
        lagClock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(("Degraded", 1L), await HealthAsync(lagHost));
        Assert.Contains("oldest waiting outbox action", await ProblemsAsync(lagHost), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Telegram_update_with_the_secret_token_is_mapped_and_submitted_once_and_without_a_token_there_is_no_endpoint()
    {
        var join = await File.ReadAllTextAsync(Path.Combine(SampleProcess.RepoRoot, "tests", "CommunityFunnel.Platforms.Tests", "Fixtures", "Telegram", "chat_member_join_named_link.json"));
        using (var plainStore = TestStore.Sqlite())
        {
            await using var plain = await RunningHost.StartAsync(plainStore, new FakeTimeProvider(Now));
            using var none = await plain.Http.PostAsync("telegram", new StringContent(join, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        using var store = TestStore.Sqlite();
        await using var host = await RunningHost.StartAsync(store, new FakeTimeProvider(Now),
            "--CommunityFunnel:Telegram:SecretToken=s3cret", "--CommunityFunnel:Telegram:InviteLinkChannels:poster-1118=poster");

        async Task<HttpResponseMessage> Post(string body, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "telegram") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (token is not null)
            {
                request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", token);
            }

            return await host.Http.SendAsync(request);
        }

        using (var wrong = await Post(join, "guess"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var missing = await Post(join, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        }

        Assert.Empty(await StoredAsync(host));
        using (var first = await Post(join, "s3cret"))
        {
            Assert.Equal(new EventsAccepted(1, 0, 1), JsonSerializer.Deserialize<EventsAccepted>(await first.Content.ReadAsStringAsync(), RunningHost.Json));
        }

        using (var redelivered = await Post(join, "s3cret"))
        {
            Assert.Equal(new EventsAccepted(0, 1, 0), JsonSerializer.Deserialize<EventsAccepted>(await redelivered.Content.ReadAsStringAsync(), RunningHost.Json));
        }

        using (var bad = await Post("{\"update_id\": \"1\"}", "s3cret"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("update_id", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var stored = Assert.Single(await StoredAsync(host));
        Assert.Equal((EventType.Joined, "poster"), (stored.Type, stored.Channel));
        var member = JsonNode.Parse(await host.Http.GetStringAsync($"members/{Uri.EscapeDataString(stored.Group)}/{Uri.EscapeDataString(stored.Member)}"))!;
        Assert.Equal(1, (long)member["version"]!);
    }

    private async Task SmokeAsync(TestStore store, string name)
    {
        using var _ = store;
        var events = SimulatedDay();
        var distinct = events.DistinctBy(e => e.Id).ToList();
        Assert.True(events.Count > distinct.Count, "the simulated day has redelivered events");
        await using var host = await RunningHost.StartAsync(store, new FakeTimeProvider(Now));

        var timer = System.Diagnostics.Stopwatch.StartNew();   // reported, never asserted
        var first = await host.PostAllAsync(events);
        var firstTime = timer.Elapsed;
        timer.Restart();
        Assert.Equal(distinct.Count, first.Applied);
        Assert.Equal(events.Count - distinct.Count, first.Duplicates);
        Assert.True(first.Actions > 0);
        var versions = await VersionsAsync(host);
        Assert.NotEmpty(versions);

        var second = await host.PostAllAsync(events);
        var secondTime = timer.Elapsed;
        output.WriteLine($"{name}: {events.Count} lines over HTTP in batches of 400, one client: first post {events.Count / firstTime.TotalSeconds:F0} events/s, the redelivery {events.Count / secondTime.TotalSeconds:F0} events/s");
        Assert.Equal((0, events.Count, 0), second);
        Assert.Equal(versions, await VersionsAsync(host));

        // Every distinct event stored once; members over HTTP as stored.
        Assert.Equal(distinct.Select(e => e.Id).Order(StringComparer.Ordinal), (await StoredAsync(host)).Select(e => e.Id).Order(StringComparer.Ordinal));
        foreach (var (key, version) in versions.Take(30))
        {
            var member = JsonNode.Parse(await host.Http.GetStringAsync("members/" + key))!;
            Assert.Equal(version, (long)member["version"]!);
        }

        // The activation report over HTTP equals the calculator on the same events.
        foreach (var asOf in new[] { new DateTimeOffset(2026, 11, 1, 6, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8)), Now })
        {
            foreach (var by in new[] { ActivationBreakdownBy.None, ActivationBreakdownBy.Channel, ActivationBreakdownBy.Group, ActivationBreakdownBy.Day })
            {
                var url = $"reports/activation?asOf={Uri.EscapeDataString(asOf.ToString("O"))}&by={by.ToString().ToLowerInvariant()}";
                AssertSameReport(Expected(distinct, asOf, by), await host.Http.GetStringAsync(url));
            }
        }

        // Every action decided reaches the handler with its id, and the outbox records each delivered once.
        await host.PollUntilAsync(() => DeliveredIds(host).Distinct().Count() >= first.Actions, $"{first.Actions} deliveries");
        var delivered = DeliveredIds(host).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(first.Actions, delivered.Count);
        var outbox = host.Services.GetRequiredService<IActionOutbox>();
        for (var giveUp = DateTime.UtcNow.AddMinutes(2); (await outbox.GetStatisticsAsync(default)).Pending > 0;)
        {
            Assert.True(DateTime.UtcNow < giveUp, "the dispatcher marks what it delivered");   // the handler logs before the mark
            await Task.Delay(20);
        }

        var rows = await outbox.ListAsync(OutboxState.Delivered, 1_000_000, default);
        Assert.Equal(delivered, rows.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(new OutboxStatistics(0, 0, null), await outbox.GetStatisticsAsync(default));
        Assert.Equal(("Healthy", 0L), await HealthAsync(host));
    }

    /// <summary>One simulated day of a small community (duplicates and late events included), in the order it was written.</summary>
    internal static List<CommunityEvent> SimulatedDay() =>
        [.. CommunitySimulator.Generate(new SimulationOptions { Members = 120, Days = 1, Seed = 17, DuplicateRate = 0.02, OutOfOrderRate = 0.05 })];

    internal static ActivationReport Expected(IEnumerable<CommunityEvent> events, DateTimeOffset asOf, ActivationBreakdownBy by) =>
        ActivationCalculator.Calculate(events, new ActivationQuery(asOf) { BreakdownBy = by, TimeZoneId = "Asia/Shanghai" });

    internal static void AssertSameReport(ActivationReport expected, string actualJson)
    {
        var want = JsonSerializer.SerializeToNode(expected, RunningHost.Json)!;
        var got = JsonNode.Parse(actualJson)!;
        Assert.True(JsonNode.DeepEquals(want, got), $"expected {want.ToJsonString()}\nactual   {got.ToJsonString()}");
        Assert.True(expected.Eligible + expected.Pending > 0, "a report with joins");
    }

    internal static async Task<SortedDictionary<string, long>> VersionsAsync(RunningHost host)
    {
        var log = host.Services.GetRequiredService<IEventLogStore>();
        var members = host.Services.GetRequiredService<IMemberStore>();
        var versions = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await log.ListGroupsAsync(default))
        {
            foreach (var record in await members.ListGroupAsync(group, default))
            {
                versions.Add(Uri.EscapeDataString(record.Group) + "/" + Uri.EscapeDataString(record.Member), record.Version);
            }
        }

        return versions;
    }

    private static IEnumerable<string> DeliveredIds(RunningHost host) =>
        host.Logs.Entries
            .Where(e => e.EventId.Id == LoggingActionHandler.DeliveredEventId && e.Category == typeof(LoggingActionHandler).FullName)
            .Select(e => (string)e.Fields["ActionId"]!);

    private static async Task<List<CommunityEvent>> StoredAsync(RunningHost host)
    {
        var stored = new List<CommunityEvent>();
        await foreach (var e in host.Services.GetRequiredService<IEventLogStore>().ReadAsync(CommunityEvent.MinAt, CommunityEvent.MaxAt, default))
        {
            stored.Add(e);
        }

        return stored;
    }

    private static async Task AssertBadLineAsync(RunningHost host, string body, long line, string rule)
    {
        using var response = await host.PostEventsAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, (int)problem["status"]!);
        Assert.Equal(line, (long)problem["line"]!);
        Assert.Equal(rule, (string)problem["rule"]!);
        Assert.StartsWith($"line {line}:", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    private static int ActionsOf(string json) => (int)JsonNode.Parse(json)!["actions"]!;

    private static async Task<(string Status, long Pending)> HealthAsync(RunningHost host)
    {
        using var response = await host.Http.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);   // Degraded is still 200
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return ((string)body["status"]!, (long)body["checks"]!["runtime"]!["data"]!["pending"]!);
    }

    private static async Task<string> ProblemsAsync(RunningHost host)
    {
        var body = JsonNode.Parse(await host.Http.GetStringAsync("health"))!;
        return string.Join("; ", body["checks"]!["runtime"]!["data"]!["problems"]!.AsArray().Select(p => (string)p!));
    }

    private static Task<HttpResponseMessage> PostJsonAsync(RunningHost host, string path, object body) =>
        host.Http.PostAsync(path, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
}
