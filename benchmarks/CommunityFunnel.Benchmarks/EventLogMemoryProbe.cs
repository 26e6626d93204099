using System.Diagnostics;
using System.Globalization;
using CommunityFunnel.Events;
using CommunityFunnel.Simulation;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Shows that reading an event log takes memory that does not grow with the file: each size is read in a
/// fresh child process, which reports its peak working set and the largest GC heap it saw.
/// Run: <c>dotnet run -c Release --project benchmarks/CommunityFunnel.Benchmarks -- --memory-probe</c>.
/// </summary>
internal static class EventLogMemoryProbe
{
    private static readonly int[] MemberCounts = [25_000, 100_000, 400_000];

    public static int Run()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cf-memory-probe");
        Directory.CreateDirectory(dir);
        Console.WriteLine("| log | events | file MB | duplicates | dedup | read s | peak working set MB | max GC heap MB |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|---:|---:|");
        foreach (var members in MemberCounts)
        {
            var path = Path.Combine(dir, $"sim-{members}.jsonl");
            if (!File.Exists(path))
            {
                using var writer = new EventLogWriter(File.Create(path));
                foreach (var e in CommunitySimulator.Generate(new SimulationOptions { Members = members, Days = 30, Seed = 1 }))
                {
                    writer.Write(e);
                }
            }

            foreach (var dedup in new[] { false, true })
            {
                var start = new ProcessStartInfo("dotnet")
                {
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                };
                start.ArgumentList.Add(typeof(EventLogMemoryProbe).Assembly.Location);
                start.ArgumentList.Add("--memory-probe-child");
                start.ArgumentList.Add(path);
                start.ArgumentList.Add(dedup ? "dedup" : "no-dedup");
                using var child = Process.Start(start)!;
                var line = child.StandardOutput.ReadToEnd().Trim();
                child.WaitForExit();
                var mb = new FileInfo(path).Length / 1e6;
                Console.WriteLine($"| {members:N0} members x 30 days | {line.Replace(" ", " | ", StringComparison.Ordinal).Replace("#", $"{mb:F0}", StringComparison.Ordinal).Replace("@", dedup ? "on" : "off", StringComparison.Ordinal)} |");
            }
        }

        return 0;
    }

    /// <summary>In the child: read the file, sampling the GC heap, and print one row of figures.</summary>
    public static int Child(string path, bool dedup)
    {
        var reader = new EventLogReader(new EventLogReaderOptions { IgnoreDuplicates = dedup });
        var stopwatch = Stopwatch.StartNew();
        long maxHeap = 0;
        long n = 0;
        foreach (var e in reader.ReadFileEvents(path))
        {
            if (++n % 100_000 == 0)
            {
                maxHeap = Math.Max(maxHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
            }
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{reader.Statistics.Events:N0} # {reader.Statistics.Duplicates:N0} @ {seconds:F2} {peak / 1e6:F0} {maxHeap / 1e6:F0}"));
        return 0;
    }
}
