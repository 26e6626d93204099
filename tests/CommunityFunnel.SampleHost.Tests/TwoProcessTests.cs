using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.SampleHost.Tests.TestSupport;
using CommunityFunnel.Simulation;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CommunityFunnel.SampleHost.Tests;

/// <summary>
/// Two sample hosts as separate OS processes on one PostgreSQL schema: fed the same events concurrently, then one
/// killed with SIGKILL mid-batch. Compared with one in-process instance fed the events once (the reference).
/// </summary>
[Collection(SampleProcess.Collection)]
public sealed class TwoProcessTests(ITestOutputHelper output)
{
    private const int Batch = 100;

    [PostgreSqlFact]
    public async Task Two_processes_fed_the_same_events_concurrently_store_each_once_and_deliver_every_action_once_recorded()
    {
        var events = Day(seed: 23);
        var distinct = events.DistinctBy(e => e.Id).ToList();
        var (referenceVersions, referenceEntries) = await ReferenceRunAsync(events);
        var referenceActions = referenceEntries.Count;

        using var store = TestStore.PostgreSql();
        using var a = await SampleProcess.StartAsync("A", store.ConnectionString!, "--CommunityFunnel:Outbox:PollPeriod=00:00:00.100");
        using var b = await SampleProcess.StartAsync("B", store.ConnectionString!, "--CommunityFunnel:Outbox:PollPeriod=00:00:00.100");
        var clock = Stopwatch.StartNew();
        var (applied, duplicates, actions) = (0, 0, 0);
        foreach (var batch in events.Chunk(Batch))
        {
            var body = RunningHost.Lines(batch);
            var answers = await Task.WhenAll(PostAsync(a, body), PostAsync(b, body));   // every event to both, at once
            foreach (var answer in answers)
            {
                Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
                var accepted = JsonSerializer.Deserialize<EventsAccepted>(answer.Text, RunningHost.Json)!;
                (applied, duplicates, actions) = (applied + accepted.Applied, duplicates + accepted.Duplicates, actions + accepted.Actions);
            }
        }

        var fed = clock.Elapsed;
        Assert.Equal(distinct.Count, applied);                              // each event applied by exactly one instance
        Assert.Equal((2 * events.Count) - distinct.Count, duplicates);

        // Which instance applied which event, from their logs: also exactly once over both.
        await UntilAsync(() => Task.FromResult(a.Applied().Count + b.Applied().Count >= distinct.Count), "both logs complete");
        var appliedBy = a.Applied().Select(x => (x, "A")).Concat(b.Applied().Select(x => (x, "B"))).ToList();
        Assert.Equal(distinct.Select(e => e.Id).Order(StringComparer.Ordinal), appliedBy.Select(x => x.x.Event).Order(StringComparer.Ordinal));

        await using var inspect = Inspect(store.ConnectionString!);
        Assert.Equal(distinct.Select(e => e.Id).Order(StringComparer.Ordinal), (await StoredIdsAsync(inspect)).Order(StringComparer.Ordinal));

        // Member versions and action ids equal the single instance's for every member whose events one instance applied. A
        // member whose events the two instances split between them may end at another version (an event applied again
        // for the order saves nothing new), so its action ids, which name the version, may differ; the actions
        // themselves are asserted equal for every member below.
        var versions = await VersionsAsync(inspect);
        Assert.Equal(referenceVersions.Keys, versions.Keys);
        var split = appliedBy.GroupBy(x => Key(x.x.Group, x.x.Member)).Where(g => g.Select(x => x.Item2).Distinct().Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var differing = referenceVersions.Where(kv => versions[kv.Key] != kv.Value).Select(kv => kv.Key).ToList();
        Assert.True(differing.All(split.Contains), "members that differ from the single instance without being split across instances: "
            + string.Join(", ", differing.Where(k => !split.Contains(k)).Select(k => $"{k} {versions[k]} vs {referenceVersions[k]}")));
        var outbox = inspect.GetRequiredService<IActionOutbox>();
        await UntilAsync(async () => (await outbox.GetStatisticsAsync(default)).Pending == 0, "every outbox entry delivered");
        var delivered = clock.Elapsed;
        var entries = await outbox.ListAsync(OutboxState.Delivered, 1_000_000, default);
        var rows = entries.Select(r => r.Id).ToList();
        var missing = referenceEntries.Where(r => !rows.Contains(r.Id)).ToList();
        var extra = entries.Where(r => !referenceEntries.Any(x => x.Id == r.Id)).ToList();
        static MemberAction Of(OutboxEntry e) => (MemberAction)e.Action;
        var records = new Dictionary<string, MemberRecord?>(StringComparer.Ordinal);
        foreach (var e in missing.Concat(extra))
        {
            records[e.Id] = await inspect.GetRequiredService<IMemberStore>().FindAsync(Of(e).Group, Of(e).Member, default);
        }

        string Describe(OutboxEntry e) =>
            $"{e.Id} {Of(e).Kind} at {Of(e).At:O}; applied by "
            + string.Join(",", appliedBy.Where(x => x.x.Group == Of(e).Group && x.x.Member == Of(e).Member).Select(x => $"{x.x.Event}@{x.Item2}"))
            + $"; stored: v{records[e.Id]?.Version}, joinedBeforeTracking {records[e.Id]?.JoinedBeforeTracking}, firstSeenAt {records[e.Id]?.FirstSeenAt:O}, joinedAt {records[e.Id]?.JoinedAt:O}";
        bool Split(OutboxEntry e) => split.Contains(Key(Of(e).Group, Of(e).Member));
        Assert.True(missing.Concat(extra).All(Split), "actions differ from the single instance for members one instance applied: missing "
            + string.Join("; ", missing.Where(e => !Split(e)).Select(Describe)) + " | extra " + string.Join("; ", extra.Where(e => !Split(e)).Select(Describe)));

        // The actions themselves (kind and decision instant, per member) equal the single instance's for every member,
        // split or not: a member's earlier stored-but-unapplied events are applied before its own (docs/hosting.md).
        static string Decided(IEnumerable<OutboxEntry> all) => string.Join("\n", all.Select(Of)
            .Select(m => $"{m.Group}|{m.Member}|{m.Kind}|{m.At.UtcTicks}").Order(StringComparer.Ordinal));
        Assert.Equal(Decided(referenceEntries), Decided(entries));
        Assert.Equal(actions, rows.Count);                                 // recorded once: one row per action the instances decided
        Assert.Equal(rows.Count, rows.Distinct(StringComparer.Ordinal).Count());
        await UntilAsync(() => Task.FromResult(rows.All(new HashSet<string>(a.DeliveredIds().Concat(b.DeliveredIds()), StringComparer.Ordinal).Contains)), "every delivery logged");
        var logged = a.DeliveredIds().Concat(b.DeliveredIds()).ToList();
        Assert.Equal(rows.Order(StringComparer.Ordinal), logged.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        // Decision to delivery, both on the instances' system clocks (poll period 100 ms).
        var latencies = entries.Select(e => (e.CompletedAt!.Value - e.DecidedAt).TotalMilliseconds).Order().ToList();
        Assert.All(latencies, l => Assert.True(l >= 0));
        output.WriteLine(
            $"outbox latency over {latencies.Count} actions: p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms");
        output.WriteLine(
            $"{events.Count} lines ({distinct.Count} distinct) to both instances in {fed.TotalSeconds:F1} s " +
            $"({2 * events.Count / fed.TotalSeconds:F0} submissions/s); {rows.Count} actions delivered by {delivered.TotalSeconds:F1} s, " +
            $"A {a.DeliveredIds().Count}, B {b.DeliveredIds().Count}, {logged.Count - rows.Count} delivered twice; " +
            $"{split.Count} of {versions.Count} members had their events applied by both instances, {differing.Count} of them differ from the single instance " +
            $"({string.Join(", ", differing.Select(k => $"{k} v{versions[k]} vs v{referenceVersions[k]}"))}); actions {actions} vs {referenceActions}; " +
            $"missing: {string.Join("; ", missing.Select(Describe))}; extra: {string.Join("; ", extra.Select(Describe))}");
    }

    [PostgreSqlFact]
    public async Task An_instance_killed_mid_batch_loses_nothing_it_acknowledged_and_the_other_delivers_its_leased_actions()
    {
        var events = Day(seed: 29);
        var distinct = events.DistinctBy(e => e.Id).ToList();
        var (referenceVersions, referenceActions) = await ReferenceAsync(events);

        using var store = TestStore.PostgreSql();
        string[] settings =
        [
            "--CommunityFunnel:Outbox:PollPeriod=00:00:00.100",
            "--CommunityFunnel:Outbox:LeaseTime=00:00:03",
            "--CommunityFunnel:Outbox:BatchSize=5",
        ];
        // A's platform calls take 400 ms, so it holds claimed actions most of the time; B's are instant.
        using var a = await SampleProcess.StartAsync("A", store.ConnectionString!, [.. settings, "--CommunityFunnel:Sample:ActionDelay=00:00:00.400"]);
        using var b = await SampleProcess.StartAsync("B", store.ConnectionString!, settings);
        await using var inspect = Inspect(store.ConnectionString!);

        // Each batch goes to A first; B gets it after A's answer, as a redelivery to another instance: for every batch A
        // acknowledged, B must find every event stored already. A is killed inside a larger batch, once it holds leases.
        var half = events.Count / 2;
        var before = events.Take(half).Chunk(Batch).ToList();
        var killBatch = events.Skip(half).Take(3 * Batch).ToArray();
        var after = events.Skip(half + killBatch.Length).Chunk(Batch).ToList();
        var acknowledged = 0;
        foreach (var batch in before)
        {
            var body = RunningHost.Lines(batch);
            var answer = await PostAsync(a, body);
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
            acknowledged += batch.Length;
            var redelivered = JsonSerializer.Deserialize<EventsAccepted>((await PostAsync(b, body)).Text, RunningHost.Json)!;
            Assert.Equal(new EventsAccepted(0, batch.Length, 0), redelivered);
        }

        var killBody = RunningHost.Lines(killBatch);
        var inFlight = PostAsync(a, killBody);
        List<(string Id, DateTimeOffset LeaseUntil)> heldByA = [];
        var giveUp = DateTime.UtcNow.AddSeconds(30);
        while (heldByA.Count == 0)
        {
            Assert.True(DateTime.UtcNow < giveUp, "A never held a lease during the batch");
            await Task.Delay(20);
            heldByA = await LeasedByAsync(store.ConnectionString!, "A");
        }

        var midBatch = !inFlight.IsCompleted;
        a.Kill();                                                            // SIGKILL
        var killedAt = DateTimeOffset.UtcNow;
        var lost = await Record.ExceptionAsync(() => inFlight);
        Assert.True(lost is HttpRequestException or TaskCanceledException || (await inFlight).Status == HttpStatusCode.OK, lost?.ToString());
        var again = await PostAsync(b, killBody);                            // the platform redelivers the batch A did not answer
        Assert.True(again.Status == HttpStatusCode.OK, again.Text);
        foreach (var batch in after)
        {
            var answer = await PostAsync(b, RunningHost.Lines(batch));
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Text);
        }

        Assert.True(a.HasExited);
        Assert.True(acknowledged > 0);
        Assert.Equal(distinct.Select(e => e.Id).Order(StringComparer.Ordinal), (await StoredIdsAsync(inspect)).Order(StringComparer.Ordinal));
        var versions = await VersionsAsync(inspect);
        var differing = referenceVersions.Where(kv => !versions.TryGetValue(kv.Key, out var v) || v != kv.Value).Select(kv => kv.Key).ToList();
        var inFlightMembers = killBatch.Select(e => Uri.EscapeDataString(e.Group) + "/" + Uri.EscapeDataString(e.Member)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(referenceVersions.Count, versions.Count);
        Assert.All(differing, key => Assert.Contains(key, inFlightMembers));   // only what A was applying when it died (docs/hosting.md, "Crash between append and apply")

        var outbox = inspect.GetRequiredService<IActionOutbox>();
        await UntilAsync(async () => (await outbox.GetStatisticsAsync(default)).Pending == 0, "every outbox entry delivered");
        var drained = DateTimeOffset.UtcNow;
        var rows = await outbox.ListAsync(OutboxState.Delivered, 1_000_000, default);
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        if (differing.Count == 0)
        {
            Assert.Equal(referenceActions, rows.Count);
        }

        // What A had claimed when it died was delivered by B, and only after A's lease on it ran out.
        await UntilAsync(() => Task.FromResult(heldByA.All(h => b.DeliveredIds().Contains(h.Id))), "B logs the actions A held");
        foreach (var (id, leaseUntil) in heldByA)
        {
            var row = await outbox.FindAsync(id, default);
            Assert.Equal(OutboxState.Delivered, row!.State);
            Assert.True(row.CompletedAt >= leaseUntil, $"{id} delivered at {row.CompletedAt:O}, before A's lease ran out at {leaseUntil:O}");
        }

        output.WriteLine(
            $"killed A {(midBatch ? "inside" : "after")} its batch of {killBatch.Length} ({acknowledged} events acknowledged before) holding {heldByA.Count} leased actions; " +
            $"its leases ran out {(heldByA.Max(h => h.LeaseUntil) - killedAt).TotalSeconds:F1} s after the kill and B delivered those actions after that; outbox drained " +
            $"{(drained - killedAt).TotalSeconds:F1} s after the kill; {rows.Count} actions delivered (reference {referenceActions}); {differing.Count} members differ from the reference");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Key(string group, string member) => Uri.EscapeDataString(group) + "/" + Uri.EscapeDataString(member);

    private static List<CommunityEvent> Day(ulong seed) =>
        [.. CommunitySimulator.Generate(new SimulationOptions { Members = 120, Days = 1, Seed = seed, DuplicateRate = 0.02, OutOfOrderRate = 0.05 })];

    /// <summary>One in-process instance (SQLite) fed the events once, in order: member versions and the actions decided.</summary>
    private static async Task<(SortedDictionary<string, long> Versions, int Actions)> ReferenceAsync(List<CommunityEvent> events)
    {
        var (versions, ids) = await ReferenceRunAsync(events);
        return (versions, ids.Count);
    }

    /// <summary>The reference run: member versions and the ids of the actions it decided (its outbox, undelivered).</summary>
    private static async Task<(SortedDictionary<string, long> Versions, List<OutboxEntry> Actions)> ReferenceRunAsync(List<CommunityEvent> events)
    {
        using var store = TestStore.Sqlite();
        await using var host = await RunningHost.StartAsync(store, new FakeTimeProvider(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero)), "--CommunityFunnel:Outbox:RunDispatcher=false");
        var (_, _, actions) = await host.PostAllAsync(events, Batch);
        var entries = await host.Services.GetRequiredService<IActionOutbox>().ListAsync(OutboxState.Pending, 1_000_000, default);
        Assert.Equal(actions, entries.Count);
        return (await SampleHostTests.VersionsAsync(host), [.. entries]);
    }

    private static ServiceProvider Inspect(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddCommunityFunnel().UsePostgreSqlStores(connectionString);
        return services.BuildServiceProvider();
    }

    private static async Task<List<string>> StoredIdsAsync(IServiceProvider services)
    {
        var ids = new List<string>();
        await foreach (var e in services.GetRequiredService<IEventLogStore>().ReadAsync(CommunityEvent.MinAt, CommunityEvent.MaxAt, default))
        {
            ids.Add(e.Id);
        }

        return ids;
    }

    private static async Task<SortedDictionary<string, long>> VersionsAsync(IServiceProvider services)
    {
        var versions = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in await services.GetRequiredService<IEventLogStore>().ListGroupsAsync(default))
        {
            foreach (var record in await services.GetRequiredService<IMemberStore>().ListGroupAsync(group, default))
            {
                versions.Add(Uri.EscapeDataString(record.Group) + "/" + Uri.EscapeDataString(record.Member), record.Version);
            }
        }

        return versions;
    }

    /// <summary>The pending outbox entries whose lease <paramref name="owner"/> holds (the schema's own columns).</summary>
    private static async Task<List<(string Id, DateTimeOffset LeaseUntil)>> LeasedByAsync(string connectionString, string owner)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, lease_until FROM cf_outbox WHERE state = 0 AND lease_owner = @owner AND lease_until > @now", connection);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.UtcTicks);
        var held = new List<(string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            held.Add((reader.GetString(0), new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero)));
        }

        return held;
    }

    private static async Task<(HttpStatusCode Status, string Text)> PostAsync(SampleProcess instance, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/x-ndjson");
        using var response = await instance.Http.PostAsync("events", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var giveUp = DateTime.UtcNow.AddMinutes(2);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < giveUp, "Timed out waiting until " + what);
            await Task.Delay(100);
        }
    }
}
