using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Reading a simulated log with <see cref="EventLogReader"/>, next to the baseline a user would otherwise write:
/// <c>File.ReadLines</c> + <c>JsonDocument</c> per line; the reader on one parsing thread (the caller's) and on
/// two (<see cref="EventLogReaderOptions.ParseThreads"/>), for MB/s per core.
/// </summary>
[MemoryDiagnoser]
public class EventLogBenchmarks
{
    private string _path = string.Empty;

    /// <summary>Simulated members over 30 days: 105 000 give about one million events.</summary>
    [Params(105_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"cf-bench-{Members}.jsonl");
        using var writer = new EventLogWriter(File.Create(_path));
        foreach (var e in CommunitySimulator.Generate(new SimulationOptions { Members = Members, Days = 30, Seed = 1 }))
        {
            writer.Write(e);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true)]
    public int JsonDocumentPerLine()
    {
        var count = 0;
        foreach (var line in File.ReadLines(_path))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            count += doc.RootElement.GetProperty("id").GetString()!.Length > 0 ? 1 : 0;
        }

        return count;
    }

    /// <summary>Parsing threads: 1 (the caller's alone) or 2 (both cores here).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [Benchmark]
    public long EventLogReader_NoDedup()
    {
        var reader = new EventLogReader(new EventLogReaderOptions { IgnoreDuplicates = false, ParseThreads = Threads });
        foreach (var e in reader.ReadFileEvents(_path))
        {
            _ = e;
        }

        return reader.Statistics.Events;
    }

    [Benchmark]
    public long EventLogReader_Read()
    {
        var reader = new EventLogReader(new EventLogReaderOptions { ParseThreads = Threads });
        foreach (var e in reader.ReadFileEvents(_path))
        {
            _ = e;
        }

        return reader.Statistics.Events;
    }
}
