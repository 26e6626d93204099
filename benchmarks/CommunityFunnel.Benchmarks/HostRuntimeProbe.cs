using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// The hosted runtime end to end, as a host runs it (not a BenchmarkDotNet run: what it measures is a distribution and
/// a rate under the real dispatcher loop): the first N events of the simulator's time-ordered log (2,000 members,
/// 30 days, seed 1) submitted through <c>IEventIntake</c> by 1 and by 4 concurrent submitters (each a share of the
/// members), with the action outbox on and its dispatcher delivering to a no-op handler (poll period 50 ms). Reports
/// events/s through the intake and the outbox's decision-to-delivery latency (p50, p99, max), read from the runtime's
/// own <c>communityfunnel.outbox.latency</c> histogram. SQLite (a fresh file) and, with COMMUNITYFUNNEL_PG, PostgreSQL
/// (a fresh schema). Run: <c>dotnet run -c Release --project benchmarks/CommunityFunnel.Benchmarks -- --host-runtime 3000</c>.
/// </summary>
internal static class HostRuntimeProbe
{
    private sealed class Nothing : IMemberActionHandler
    {
        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    public static async Task<int> RunAsync(int count)
    {
        var log = CommunitySimulator.Generate(new SimulationOptions { Members = 2_000, Days = 30, Seed = 1 }).Take(count).ToList();
        Console.WriteLine(FormattableString.Invariant($"{log.Count} events of the simulator's log (2,000 members, seed 1), {log.Select(e => e.Member).Distinct(StringComparer.Ordinal).Count()} members"));
        Console.WriteLine("| store | submitters | events/s | outbox actions | latency p50 | p99 | max |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var submitters in new[] { 1, 4 })
        {
            var path = Path.Combine(Path.GetTempPath(), $"cf-host-{Guid.NewGuid():N}.db");
            try
            {
                await RunAsync("SQLite", b => b.UseSqliteStores($"Data Source={path}"), log, submitters).ConfigureAwait(false);
            }
            finally
            {
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }
            }

            var admin = Environment.GetEnvironmentVariable(StoreBenchmarkDatabases.Variable);
            if (string.IsNullOrWhiteSpace(admin))
            {
                continue;
            }

            var schema = $"host_{Guid.NewGuid():N}";
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync().ConfigureAwait(false);
                await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
                await create.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            try
            {
                var cs = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ToString();
                await RunAsync("PostgreSQL", b => b.UsePostgreSqlStores(cs), log, submitters).ConfigureAwait(false);
            }
            finally
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync().ConfigureAwait(false);
                await using var drop = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
                await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task RunAsync(string store, Action<CommunityFunnelBuilder> stores, List<CommunityEvent> log, int submitters)
    {
        var services = new ServiceCollection();
        var builder = services.AddCommunityFunnel();
        stores(builder);
        builder.ConfigureLifecycle(o => o.DefaultPolicy = new LifecyclePolicy { NicknamePattern = "^[^-]+-[^-]+-[^-]+$" })
            .AddMemberActionHandler(new Nothing())
            .AddHostedRuntime(o =>
            {
                o.RunScheduler = false; // the events' own times drive the lifecycle; no deadline work in the way
                o.Outbox.PollPeriod = TimeSpan.FromMilliseconds(50);
            });
        await using var provider = services.BuildServiceProvider();
        var latencies = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "CommunityFunnel" && instrument.Name == "communityfunnel.outbox.latency")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (latencies)
            {
                latencies.Add(value);
            }
        });
        listener.Start();

        var intake = provider.GetRequiredService<CommunityFunnel.Hosting.IEventIntake>();
        var outbox = provider.GetRequiredService<IActionOutbox>();
        await outbox.GetStatisticsAsync(CancellationToken.None).ConfigureAwait(false); // the schema is created before the clock starts
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var h in hosted)
        {
            await h.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var shares = log.GroupBy(e => (uint)StringComparer.Ordinal.GetHashCode(e.Member) % (uint)submitters).Select(g => g.ToList()).ToList();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(shares.Select(share => Task.Run(async () =>
        {
            foreach (var e in share)
            {
                await intake.SubmitAsync(e).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
        var submitted = clock.Elapsed;

        while ((await outbox.GetStatisticsAsync(CancellationToken.None).ConfigureAwait(false)).Pending > 0 && clock.Elapsed < submitted + TimeSpan.FromMinutes(2))
        {
            await Task.Delay(20).ConfigureAwait(false);
        }

        foreach (var h in hosted)
        {
            await h.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        listener.RecordObservableInstruments();
        double[] sorted;
        lock (latencies)
        {
            sorted = [.. latencies.Order()];
        }

        string Ms(double p) => sorted.Length == 0 ? "-" : (sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)] * 1000).ToString("0", CultureInfo.InvariantCulture) + " ms";
        Console.WriteLine(FormattableString.Invariant(
            $"| {store} | {submitters} | {log.Count / submitted.TotalSeconds:0} | {sorted.Length} | {Ms(0.50)} | {Ms(0.99)} | {Ms(1.0)} |"));
    }
}
