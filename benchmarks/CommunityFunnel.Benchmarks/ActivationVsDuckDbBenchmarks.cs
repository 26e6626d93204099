using System.Globalization;
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
/// </summary>
[MemoryDiagnoser]
public class ActivationVsDuckDbBenchmarks
{
    private static readonly string[] Qualifying = ["message", "checkin", "task_submitted", "lottery_entered", "order"];
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

        _loaded = Open();
        Execute(_loaded, $"CREATE TABLE ev AS {Deduplicated(ReadJson())}");
        var library = Counts(ActivationCalculator.Calculate(_events, new ActivationQuery(_asOf)));
        var duck = Query(_loaded, "ev");
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
        using var db = Open();
        return Query(db, $"({Deduplicated(ReadJson())})").Activated;
    }

    [Benchmark]
    public long Library_FromFile() =>
        ActivationCalculator.Calculate(EventLogReader.ReadFile(_path), new ActivationQuery(_asOf)).Activated;

    [Benchmark]
    public long DuckDb_LoadedTable() => Query(_loaded, "ev").Activated;

    [Benchmark]
    public long Library_LoadedEvents() => ActivationCalculator.Calculate(_events, new ActivationQuery(_asOf)).Activated;

    private static (long Eligible, long Activated, long Pending, long Excluded) Counts(ActivationReport r) => (r.Eligible, r.Activated, r.Pending, r.Excluded);

    private static DuckDBConnection Open()
    {
        var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        Execute(db, "SET threads = 2");
        return db;
    }

    private string ReadJson() =>
        $"SELECT id, type, \"group\" AS g, member, CAST(\"at\" AS TIMESTAMPTZ) AS ts, role FROM read_json('{_path}', format = 'newline_delimited', " +
        "columns = {id: 'VARCHAR', type: 'VARCHAR', \"group\": 'VARCHAR', member: 'VARCHAR', \"at\": 'VARCHAR', role: 'VARCHAR'})";

    /// <summary>Rule 1 (only what was known at asOf) and the log's duplicate ids (a repeat is the same event).</summary>
    private string Deduplicated(string source) =>
        $"SELECT * FROM ({source}) WHERE ts < '{Instant(_asOf)}'::TIMESTAMPTZ QUALIFY row_number() OVER (PARTITION BY id ORDER BY ts) = 1";

    /// <summary>Rules 2 to 5: the first join of each (group, member) (ties by id), staff and bots excluded, pending, activated.</summary>
    private (long Eligible, long Activated, long Pending, long Excluded) Query(DuckDBConnection db, string events)
    {
        var qualifying = string.Join(", ", Qualifying.Select(t => $"'{t}'"));
        var asOf = $"'{Instant(_asOf)}'::TIMESTAMPTZ";
        using var command = db.CreateCommand();
        command.CommandText = $"""
            WITH ev AS (SELECT * FROM {events}),
            j AS (SELECT g, member, ts AS join_at, coalesce(role, 'member') IN ('staff', 'bot') AS excluded FROM ev WHERE type = 'joined'
                  QUALIFY row_number() OVER (PARTITION BY g, member ORDER BY ts, id) = 1),
            a AS (SELECT j.g, j.member FROM j JOIN ev ON ev.g = j.g AND ev.member = j.member
                  WHERE ev.type IN ({qualifying}) AND ev.ts >= j.join_at AND ev.ts < j.join_at + INTERVAL 24 HOUR GROUP BY j.g, j.member),
            s AS (SELECT j.*, j.join_at + INTERVAL 24 HOUR > {asOf} AS pending, a.g IS NOT NULL AS activated FROM j LEFT JOIN a ON a.g = j.g AND a.member = j.member)
            SELECT count(*) FILTER (WHERE NOT excluded AND NOT pending),
                   count(*) FILTER (WHERE NOT excluded AND NOT pending AND activated),
                   count(*) FILTER (WHERE NOT excluded AND pending),
                   count(*) FILTER (WHERE excluded)
            FROM s
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", CultureInfo.InvariantCulture);

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
