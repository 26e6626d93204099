using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Reading a simulated log with <see cref="EventLogReader"/>, next to the baseline a user would otherwise write:
/// <c>File.ReadLines</c> + <c>JsonDocument</c> per line.
/// </summary>
[MemoryDiagnoser]
public class EventLogBenchmarks
{
    private string _path = string.Empty;

    [Params(100_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"cf-bench-{Events}.jsonl");
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        using var writer = new EventLogWriter(File.Create(_path));
        for (var i = 0; i < Events; i++)
        {
            writer.Write(new CommunityEvent($"e-{i}", EventType.Message, $"g-{i % 5}", $"m-{i % 50_000}", start.AddSeconds(i)));
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

    [Benchmark]
    public long EventLogReader_Read()
    {
        var reader = new EventLogReader();
        foreach (var e in reader.ReadFileEvents(_path))
        {
            _ = e;
        }

        return reader.Statistics.Events;
    }
}
