using CommunityFunnel.Demo;
using CommunityFunnel.Events;
using CommunityFunnel.Simulation;
using Microsoft.Extensions.DependencyInjection;

// The CommunityFunnel demo: simulate a month of a community, read the log back, and run each part of the library on it.
// --store memory|sqlite:PATH picks the stores (see StoresDemo); run twice on one SQLite file, it continues.
if (StoresDemo.ParseStore(args, Console.Error) is not { } store)
{
    return 2;
}

var output = Path.Combine(Path.GetTempPath(), "community-funnel-demo");
Directory.CreateDirectory(output);
var logPath = Path.Combine(output, "events.jsonl");

var simulation = new SimulationOptions { Members = 2_000, Days = 30, Seed = 42 };
using (var writer = new EventLogWriter(File.Create(logPath)))
{
    foreach (var e in CommunitySimulator.Generate(simulation))
    {
        writer.Write(e);
    }
}

var reader = new EventLogReader();
var events = reader.ReadFileEvents(logPath).ToList();
var stats = reader.Statistics;
Console.WriteLine($"CommunityFunnel demo: simulated {simulation.Members:N0} members over {simulation.Days} days (seed {simulation.Seed}).");
Console.WriteLine($"Event log: {logPath}");
Console.WriteLine($"  {stats.Lines:N0} lines, {stats.Events:N0} events, {stats.Duplicates:N0} duplicates ignored");

var joins = events.Where(e => e.Type == EventType.Joined).ToList();
Console.WriteLine($"  {joins.Select(e => (e.Group, e.Member)).Distinct().Count():N0} members in {events.Select(e => e.Group).Distinct().Count()} groups");
Console.WriteLine();
Console.WriteLine("Joins by channel:");
foreach (var g in joins.GroupBy(e => e.Channel ?? "(none)").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
{
    Console.WriteLine($"  {g.Key,-20} {g.Count(),8:N0}");
}

Console.WriteLine();
Console.WriteLine("Events by type:");
foreach (var g in events.GroupBy(e => e.Type).OrderBy(g => g.Key))
{
    Console.WriteLine($"  {g.Key.ToWireName(),-20} {g.Count(),8:N0}");
}

var services = new ServiceCollection();
StoresDemo.Configure(services.AddCommunityFunnel(o => o.TimeZoneId = simulation.TimeZoneId), store);
using var provider = services.BuildServiceProvider(validateScopes: true);
var asOf = events.Count == 0 ? DateTimeOffset.UnixEpoch : events.Max(e => e.At).AddSeconds(1);
var demo = new DemoContext(events, logPath, provider, asOf, output, Console.Out);

ActivationDemo.Run(demo);
await LifecycleDemo.RunAsync(demo);
RewardsDemo.Run(demo);
await LotteryDemo.RunAsync(demo);
await StoresDemo.RunAsync(demo, store);
return 0;
