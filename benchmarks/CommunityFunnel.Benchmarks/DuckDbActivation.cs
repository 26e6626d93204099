using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// The 24-hour activation rate of event-log/v1 (the defaults: W = 24 h, rejoin <c>first</c>, the default qualifying
/// types) in DuckDB SQL: <c>read_json</c> of a JSON Lines file, the dedupe by id with rule 1 (only what was known at
/// as-of), and the query of rules 2 to 5. One definition for <see cref="ActivationVsDuckDbBenchmarks"/> and the
/// <c>--duckdb-activation</c> mode of the benchmarks program (benchmarks/scale.sh).
/// </summary>
internal static class DuckDbActivation
{
    private static readonly string[] Qualifying = ["message", "checkin", "task_submitted", "lottery_entered", "order"];

    /// <summary>A new in-memory database limited to 2 threads (the machine's cores).</summary>
    public static DuckDBConnection Open()
    {
        var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        Execute(db, "SET threads = 2");
        return db;
    }

    /// <summary>The file's events with the columns the query needs (<c>g</c> the group, <c>ts</c> the instant).</summary>
    public static string ReadJson(string path) =>
        $"SELECT id, type, \"group\" AS g, member, CAST(\"at\" AS TIMESTAMPTZ) AS ts, role FROM read_json('{path.Replace("'", "''", StringComparison.Ordinal)}', format = 'newline_delimited', " +
        "columns = {id: 'VARCHAR', type: 'VARCHAR', \"group\": 'VARCHAR', member: 'VARCHAR', \"at\": 'VARCHAR', role: 'VARCHAR'})";

    /// <summary>Rule 1 (only what was known at asOf) and the log's duplicate ids (a repeat is the same event).</summary>
    public static string Deduplicated(string source, DateTimeOffset asOf) =>
        $"SELECT * FROM ({source}) WHERE ts < '{Instant(asOf)}'::TIMESTAMPTZ QUALIFY row_number() OVER (PARTITION BY id ORDER BY ts) = 1";

    /// <summary>Loads the file's deduplicated events before <paramref name="asOf"/> into the table <c>ev</c>.</summary>
    public static void Load(DuckDBConnection db, string path, DateTimeOffset asOf) =>
        Execute(db, $"CREATE TABLE ev AS {Deduplicated(ReadJson(path), asOf)}");

    /// <summary>Rules 2 to 5: the first join of each (group, member) (ties by id), staff and bots excluded, pending, activated.</summary>
    /// <param name="db">The database.</param>
    /// <param name="events">A table name or a parenthesised query of deduplicated events.</param>
    /// <param name="asOf">The as-of instant.</param>
    public static ActivationCounts Query(DuckDBConnection db, string events, DateTimeOffset asOf)
    {
        var qualifying = string.Join(", ", Qualifying.Select(t => $"'{t}'"));
        var at = $"'{Instant(asOf)}'::TIMESTAMPTZ";
        using var command = db.CreateCommand();
        command.CommandText = $"""
            WITH ev AS (SELECT * FROM {events}),
            j AS (SELECT g, member, ts AS join_at, coalesce(role, 'member') IN ('staff', 'bot') AS excluded FROM ev WHERE type = 'joined'
                  QUALIFY row_number() OVER (PARTITION BY g, member ORDER BY ts, id) = 1),
            a AS (SELECT j.g, j.member FROM j JOIN ev ON ev.g = j.g AND ev.member = j.member
                  WHERE ev.type IN ({qualifying}) AND ev.ts >= j.join_at AND ev.ts < j.join_at + INTERVAL 24 HOUR GROUP BY j.g, j.member),
            s AS (SELECT j.*, j.join_at + INTERVAL 24 HOUR > {at} AS pending, a.g IS NOT NULL AS activated FROM j LEFT JOIN a ON a.g = j.g AND a.member = j.member)
            SELECT count(*) FILTER (WHERE NOT excluded AND NOT pending),
                   count(*) FILTER (WHERE NOT excluded AND NOT pending AND activated),
                   count(*) FILTER (WHERE NOT excluded AND pending),
                   count(*) FILTER (WHERE excluded)
            FROM s
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return new ActivationCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>
    /// The <c>--duckdb-activation FILE AS_OF</c> mode: loads the file (read_json + dedupe by id) into an in-memory
    /// table, runs the query on it, and writes one JSON line: the counts and the seconds of each step.
    /// </summary>
    /// <returns>The process exit code: 0, or 2 for a bad argument.</returns>
    public static int Run(string path, string asOfText, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"--duckdb-activation: no such file '{path}'");
            return 2;
        }

        if (!DateTimeOffset.TryParse(asOfText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf) || !HasOffset(asOfText))
        {
            error.WriteLine($"--duckdb-activation: '{asOfText}' is not an instant with an offset, e.g. 2026-12-01T00:00:00+08:00");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        using var db = Open();
        Load(db, Path.GetFullPath(path), asOf);
        var load = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var counts = Query(db, "ev", asOf);
        var query = clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"eligible\":{counts.Eligible},\"activated\":{counts.Activated},\"pending\":{counts.Pending},\"excluded\":{counts.Excluded},\"loadSeconds\":{load:0.000},\"querySeconds\":{query:0.000}}}"));
        return 0;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", CultureInfo.InvariantCulture);

    private static void Execute(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>The activation rate's four counts, as the CLI's <c>activation</c> prints them.</summary>
internal readonly record struct ActivationCounts(long Eligible, long Activated, long Pending, long Excluded)
{
    /// <summary>The counts as a tuple prints them, <c>(eligible, activated, pending, excluded)</c> (the samples test reads it).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Eligible}, {Activated}, {Pending}, {Excluded})");
}
