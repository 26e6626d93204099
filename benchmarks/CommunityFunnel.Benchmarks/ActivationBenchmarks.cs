using System.Globalization;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using Microsoft.Data.Sqlite;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// The activation rate by channel over <see cref="Events"/> events of the simulator's month in time order, as a
/// platform exports it (<see cref="Data"/> = <c>simulated</c>, the realistic case), and over a generated log written
/// member by member (<c>member-ordered</c>: consecutive events hit the same member, the labelled best case for the
/// caches): batch from memory (target 10M in ≤ 1 s), batch from a JSON Lines file (≤ 6 s, flat
/// memory), streaming (≥ 10M events/s, i.e. ≤ 1 s for 10M). Baseline: the same query in SQLite through
/// Microsoft.Data.Sqlite on the same data, indexed on (group, member, at) — what a user would otherwise write.
/// </summary>
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    private static readonly DateTimeOffset MemberOrderedAsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private DateTimeOffset _asOf = MemberOrderedAsOf;
    private List<CommunityEvent> _events = [];
    private string _path = string.Empty;
    private SqliteConnection? _sqlite;
    private ActivationQuery _query = new(MemberOrderedAsOf);

    [Params(1_000_000, 10_000_000)]
    public int Events { get; set; }

    /// <summary><c>simulated</c> (time-ordered, realistic) or <c>member-ordered</c> (best case).</summary>
    [Params("simulated", "member-ordered")]
    public string Data { get; set; } = "simulated";

    /// <summary>The log of <see cref="Data"/>, and the instant after it that the query reports at.</summary>
    private IEnumerable<CommunityEvent> Log()
    {
        if (Data == "member-ordered")
        {
            _asOf = MemberOrderedAsOf;
            return ActivationBenchmarkData.Generate(Events);
        }

        var events = RewardsBenchmarkData.Simulated(Events, seed: 1);
        _asOf = events[^1].At.AddSeconds(1);
        return events;
    }

    /// <summary>Setup of the in-memory methods: the events only.</summary>
    [GlobalSetup(Targets = [nameof(Batch_InMemory), nameof(Streaming), nameof(Streaming_Presized), nameof(Streaming_AddRange), nameof(Streaming_AddRange_Presized), nameof(Streaming_Post), nameof(Streaming_Post_Presized)])]
    public void SetupInMemory()
    {
        _events = Log().ToList();
        _query = new ActivationQuery(_asOf) { BreakdownBy = ActivationBreakdownBy.Channel };
    }

    /// <summary>Setup of the file method: the JSON Lines file only (nothing else held in memory).</summary>
    [GlobalSetup(Target = nameof(Batch_FromJsonLinesFile))]
    public void SetupFile()
    {
        var log = Log();
        _query = new ActivationQuery(_asOf) { BreakdownBy = ActivationBreakdownBy.Channel };
        _path = Path.Combine(Path.GetTempPath(), $"cf-activation-bench-{Data}-{Events}.jsonl");
        using var writer = new EventLogWriter(File.Create(_path));
        foreach (var e in log)
        {
            writer.Write(e);
        }
    }

    /// <summary>Setup of the baseline: the same events in an in-memory SQLite database, indexed on (group, member, at).</summary>
    [GlobalSetup(Target = nameof(Sqlite))]
    public void SetupSqlite()
    {
        _sqlite = new SqliteConnection("Data Source=:memory:");
        _sqlite.Open();
        using (var create = _sqlite.CreateCommand())
        {
            create.CommandText = "CREATE TABLE events (id TEXT PRIMARY KEY, type TEXT NOT NULL, grp TEXT NOT NULL, member TEXT NOT NULL, at INTEGER NOT NULL, channel TEXT, role TEXT)";
            create.ExecuteNonQuery();
        }

        using (var tx = _sqlite.BeginTransaction())
        using (var insert = _sqlite.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT OR IGNORE INTO events VALUES ($id, $type, $grp, $member, $at, $channel, $role)";
            var p = new[] { "$id", "$type", "$grp", "$member", "$at", "$channel", "$role" }.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
            p[4].SqliteType = SqliteType.Integer;
            insert.Prepare();
            foreach (var e in Log())
            {
                p[0].Value = e.Id;
                p[1].Value = e.Type.ToWireName();
                p[2].Value = e.Group;
                p[3].Value = e.Member;
                p[4].Value = e.AtUtcTicks;
                p[5].Value = (object?)e.Channel ?? DBNull.Value;
                p[6].Value = e.Role is { } r ? r.ToString().ToLowerInvariant() : DBNull.Value;
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        }

        using var index = _sqlite.CreateCommand();
        index.CommandText = "CREATE INDEX events_pair ON events (grp, member, at)";
        index.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite?.Dispose();
        if (_path.Length > 0)
        {
            File.Delete(_path);
        }
    }

    /// <summary>The same query in SQL: first join per pair (SQLite's bare columns take the min row's channel and role), then EXISTS in the window.</summary>
    [Benchmark(Baseline = true)]
    public long Sqlite()
    {
        using var command = _sqlite!.CreateCommand();
        command.CommandText =
            """
            WITH joins AS (
              SELECT grp, member, MIN(at) AS join_at, channel, role FROM events
              WHERE type = 'joined' AND at < $asOf GROUP BY grp, member)
            SELECT COALESCE(channel, '(none)') AS key,
              SUM(role IS NULL OR role = 'member') - SUM((role IS NULL OR role = 'member') AND join_at + $w > $asOf) AS eligible,
              SUM((role IS NULL OR role = 'member') AND join_at + $w <= $asOf AND EXISTS (
                SELECT 1 FROM events e WHERE e.grp = joins.grp AND e.member = joins.member
                  AND e.at >= joins.join_at AND e.at < joins.join_at + $w
                  AND e.type IN ('message', 'checkin', 'task_submitted', 'lottery_entered', 'order'))) AS activated,
              SUM((role IS NULL OR role = 'member') AND join_at + $w > $asOf) AS pending,
              SUM(role IN ('staff', 'bot')) AS excluded
            FROM joins GROUP BY key ORDER BY key
            """;
        command.Parameters.AddWithValue("$asOf", _asOf.UtcTicks);
        command.Parameters.AddWithValue("$w", TimeSpan.FromHours(24).Ticks);
        long activated = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            activated += reader.GetInt64(2);
        }

        return activated;
    }

    [Benchmark]
    public long Batch_InMemory() => ActivationCalculator.Calculate(_events, _query).Activated;

    /// <summary>As the CLI reads a file: the calculator, not the reader, drops duplicate ids (one id set, not two).</summary>
    [Benchmark]
    public long Batch_FromJsonLinesFile()
    {
        var reader = new EventLogReader(new EventLogReaderOptions { IgnoreDuplicates = false });
        return ActivationCalculator.Calculate(reader.ReadFileEvents(_path), _query).Activated;
    }

    /// <summary>Streaming, as a host that starts small would run it (the tables grow as events come).</summary>
    [Benchmark]
    public long Streaming()
    {
        var streaming = new StreamingActivationCalculator();
        foreach (var e in _events)
        {
            streaming.Add(e);
        }

        return streaming.GetReport(_query).Activated;
    }

    /// <summary>Streaming with the expected number of events given up front (no table rebuilt while adding).</summary>
    [Benchmark]
    public long Streaming_Presized()
    {
        var streaming = new StreamingActivationCalculator(expectedEvents: Events);
        foreach (var e in _events)
        {
            streaming.Add(e);
        }

        return streaming.GetReport(_query).Activated;
    }

    /// <summary>One call an event without a duplicate answer: <see cref="StreamingActivationCalculator.Post"/> holds events and adds them a batch at a time.</summary>
    [Benchmark]
    public long Streaming_Post() => PostEach(new StreamingActivationCalculator());

    /// <summary>As <see cref="Streaming_Post"/> with the expected number of events given up front.</summary>
    [Benchmark]
    public long Streaming_Post_Presized() => PostEach(new StreamingActivationCalculator(expectedEvents: Events));

    private long PostEach(StreamingActivationCalculator streaming)
    {
        foreach (var e in _events)
        {
            streaming.Post(e);
        }

        return streaming.GetReport(_query).Activated;
    }

    /// <summary>Streaming in batches of 65 536 events (a replay or a queue consumer taking what has arrived) through <see cref="StreamingActivationCalculator.AddRange"/>.</summary>
    [Benchmark]
    public long Streaming_AddRange() => AddRangeInBatches(new StreamingActivationCalculator());

    /// <summary>As <see cref="Streaming_AddRange"/> with the expected number of events given up front.</summary>
    [Benchmark]
    public long Streaming_AddRange_Presized() => AddRangeInBatches(new StreamingActivationCalculator(expectedEvents: Events));

    private long AddRangeInBatches(StreamingActivationCalculator streaming)
    {
        var events = CollectionsMarshal.AsSpan(_events);
        for (var start = 0; start < events.Length; start += 1 << 16)
        {
            streaming.AddRange(events.Slice(start, Math.Min(1 << 16, events.Length - start)));
        }

        return streaming.GetReport(_query).Activated;
    }

    /// <summary>Checks that every method computes the same number (<c>--verify-activation N</c>; not part of the measured run).</summary>
    public static void Verify(int events)
    {
        var b = new ActivationBenchmarks { Events = events };
        b.SetupInMemory();
        b.SetupFile();
        b.SetupSqlite();
        try
        {
            var results = new[] { b.Sqlite(), b.Batch_InMemory(), b.Batch_FromJsonLinesFile(), b.Streaming(), b.Streaming_Presized(), b.Streaming_AddRange(), b.Streaming_AddRange_Presized(), b.Streaming_Post(), b.Streaming_Post_Presized() };
            Console.WriteLine(string.Join(", ", results.Select(r => r.ToString(CultureInfo.InvariantCulture))));
            if (results.Distinct().Count() != 1)
            {
                throw new InvalidOperationException("The activation benchmarks disagree: " + string.Join(", ", results));
            }
        }
        finally
        {
            b.Cleanup();
        }
    }
}
