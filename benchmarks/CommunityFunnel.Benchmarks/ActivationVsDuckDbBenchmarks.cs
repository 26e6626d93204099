using BenchmarkDotNet.Attributes;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using DuckDB.NET.Data;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// The 24-hour activation rate (event-log/v1, the defaults: W = 24 h, rejoin <c>first</c>, the default qualifying
/// types) on the simulator's time-ordered month, next to the peer an analyst would pick: DuckDB (embedded,
/// vectorised, 2 threads here). End to end from the JSON Lines file (DuckDB <c>read_json</c> + dedupe by id + the
/// query; the library's reader + calculator), and in memory (the query on DuckDB's loaded table; the calculator
/// on loaded events). Setup checks that both give the same eligible, activated, pending and excluded counts.
/// The SQL is <see cref="DuckDbActivation"/>'s, shared with the <c>--duckdb-activation</c> mode of benchmarks/scale.sh.
/// </summary>
[MemoryDiagnoser]
public class ActivationVsDuckDbBenchmarks
{
    private string _path = string.Empty;
    private List<CommunityEvent> _events = [];
    private DateTimeOffset _asOf;
    private DuckDBConnection _loaded = null!;

    [Params(1_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = [.. RewardsBenchmarkData.Simulated(Events, seed: 1)];
        _asOf = _events[^1].At.AddSeconds(1);
        _path = Path.Combine(Path.GetTempPath(), $"cf-duckdb-bench-{Events}.jsonl");
        using (var file = File.Create(_path))
        using (var writer = new EventLogWriter(file))
        {
            foreach (var e in _events)
            {
                writer.Write(e);
            }
        }

        _loaded = DuckDbActivation.Open();
        DuckDbActivation.Load(_loaded, _path, _asOf);
        var library = Counts(ActivationCalculator.Calculate(_events, new ActivationQuery(_asOf)));
        var duck = DuckDbActivation.Query(_loaded, "ev", _asOf);
        if (library != duck)
        {
            throw new InvalidOperationException($"DuckDB {duck} and the library {library} disagree.");
        }

        Console.WriteLine($"// eligible, activated, pending, excluded: {library}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _loaded.Dispose();
        File.Delete(_path);
    }

    [Benchmark(Baseline = true)]
    public long DuckDb_FromFile()
    {
        using var db = DuckDbActivation.Open();
        return DuckDbActivation.Query(db, $"({DuckDbActivation.Deduplicated(DuckDbActivation.ReadJson(_path), _asOf)})", _asOf).Activated;
    }

    [Benchmark]
    public long Library_FromFile() =>
        ActivationCalculator.Calculate(EventLogReader.ReadFile(_path), new ActivationQuery(_asOf)).Activated;

    [Benchmark]
    public long DuckDb_LoadedTable() => DuckDbActivation.Query(_loaded, "ev", _asOf).Activated;

    [Benchmark]
    public long Library_LoadedEvents() => ActivationCalculator.Calculate(_events, new ActivationQuery(_asOf)).Activated;

    private static ActivationCounts Counts(ActivationReport r) => new(r.Eligible, r.Activated, r.Pending, r.Excluded);
}
