using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CommunityFunnel.Events;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// The simulator against the target "1M+ events in seconds": a 30-day community of 100 000 members
/// (about 0.95M events, the <c>simulate --members 100000 --days 30</c> run) and of 1 000 000 members (about 9.5M
/// events). The baseline writes the same number of trivial events with <see cref="EventLogWriter"/>, so the ratio
/// is what the community model costs on top of serialising. The <c>Events/s</c> column counts every line.
/// Run: <c>dotnet run -c Release --project benchmarks/CommunityFunnel.Benchmarks -- --filter '*SimulatorBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SimulatorConfig))]
public class SimulatorBenchmarks
{
    private SimulationOptions _options = new();
    private long _events;

    [Params(100_000, 1_000_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _options = new SimulationOptions { Members = Members, Days = 30, Seed = 1 };
        _events = EventCount(Members);
    }

    /// <summary>Writes as many trivial <c>message</c> events as the simulation yields, to a null stream.</summary>
    [Benchmark(Baseline = true)]
    public long WriteTrivialEvents()
    {
        var at = new DateTimeOffset(2026, 11, 1, 20, 0, 0, TimeSpan.FromHours(8));
        var e = new CommunityEvent("e-0000000000000000", EventType.Message, "g-1", "m-1000000", at);
        using var writer = new EventLogWriter(Stream.Null);
        for (var i = 0L; i < _events; i++)
        {
            writer.Write(e);
        }

        writer.Flush();
        return writer.Count;
    }

    /// <summary>Generates the community's events without writing them.</summary>
    [Benchmark]
    public long Generate()
    {
        var n = 0L;
        foreach (var e in CommunitySimulator.Generate(_options))
        {
            n++;
        }

        return n;
    }

    /// <summary>Generates and writes the JSON Lines log, as <c>community-funnel simulate --out</c> does.</summary>
    [Benchmark]
    public long GenerateAndWrite() => CommunitySimulator.WriteTo(Stream.Null, _options);

    private static readonly ConcurrentDictionary<int, long> Counts = new();

    /// <summary>Events (lines, duplicates included) of a 30-day simulation with seed 1; deterministic, so cached.</summary>
    internal static long EventCount(int members) =>
        Counts.GetOrAdd(members, m => CommunitySimulator.Generate(new SimulationOptions { Members = m, Days = 30, Seed = 1 }).LongCount());

    private sealed class SimulatorConfig : ManualConfig
    {
        public SimulatorConfig()
        {
            AddColumn(new EventsPerSecondColumn());
        }
    }

    /// <summary>Events per second of a case: the simulation's line count over the mean time per operation.</summary>
    private sealed class EventsPerSecondColumn : IColumn
    {
        public string Id => nameof(EventsPerSecondColumn);

        public string ColumnName => "Events/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Events written or generated per second (all lines of the 30-day simulation, duplicates included)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is not > 0 || benchmarkCase.Parameters["Members"] is not int members)
            {
                return "-";
            }

            var perSecond = EventCount(members) / (mean.Value / 1e9);
            return perSecond.ToString("N0", CultureInfo.InvariantCulture);
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
