using System.Globalization;
using System.Text;
using CommunityFunnel.Events;

namespace CommunityFunnel.Tests.Events;

/// <summary>
/// A file parsed on several threads (<see cref="EventLogReaderOptions.ParseThreads"/>) against the same file read on
/// the caller's thread alone, the plain reference: the same events in the same order, the same statistics, the same
/// errors with the same line numbers, the invalid-line callback in line order on the caller's thread; on random files
/// with every kind of line (blank, CRLF, a BOM, duplicates, bad lines, overlong lines, no final line end) cut into
/// batches small enough that lines and errors fall on every side of a batch's end.
/// </summary>
public sealed class ParallelEventLogReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cf-parallel-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const int MaxLine = 300;

    /// <summary>A random log of <paramref name="lines"/> lines; <paramref name="bad"/> adds bad and overlong lines.</summary>
    private string File(int seed, int lines, bool bad)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        if (random.Next(3) == 0)
        {
            text.Append('\uFEFF');
        }

        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        for (var i = 0; i < lines; i++)
        {
            var id = random.Next(15) == 0 && i > 0 ? $"e{random.Next(i)}" : $"e{i}";
            var at = start.AddSeconds(random.Next(1_000_000)).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            var line = (bad ? random.Next(40) : 99) switch
            {
                0 => "",
                1 => "   \t",
                2 => "{\"id\":\"" + id + "\",\"type\":\"message\"}", // missing fields
                3 => "not json",
                4 => "{\"id\":\"" + id + "\",\"type\":\"message\",\"group\":\"g\",\"member\":\"m\",\"at\":\"" + at + "\",\"pad\":\"" + new string('x', MaxLine) + "\"}", // too long
                5 => "{\"id\":\"" + id + "\",\"type\":\"teleported\",\"group\":\"g\",\"member\":\"m\",\"at\":\"" + at + "\"}",
                _ => "{\"id\":\"" + id + "\",\"type\":\"message\",\"group\":\"g" + random.Next(5).ToString(CultureInfo.InvariantCulture) + "\",\"member\":\"m" + random.Next(90).ToString(CultureInfo.InvariantCulture) + "\",\"at\":\"" + at + "\"}",
            };
            text.Append(line);
            if (i < lines - 1 || random.Next(2) == 0)
            {
                text.Append(random.Next(4) == 0 ? "\r\n" : "\n");
            }
        }

        var path = Path.Combine(_dir, $"log-{seed}-{lines}-{bad}.jsonl");
        System.IO.File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }

    /// <summary>Everything a read shows: each event (all fields), each reported error, then the statistics or the exception.</summary>
    private static List<string> Read(string path, int threads, int batchBytes, bool report, bool dedup)
    {
        var seen = new List<string>();
        var callerThread = Environment.CurrentManagedThreadId;
        var options = new EventLogReaderOptions
        {
            ParseThreads = threads,
            BatchBytes = batchBytes,
            MaxLineBytes = MaxLine,
            IgnoreDuplicates = dedup,
            OnInvalidLine = report
                ? e =>
                {
                    Assert.Equal(callerThread, Environment.CurrentManagedThreadId);
                    seen.Add($"error {e.LineNumber} {e.Rule} {e.Message}");
                }
                : null,
        };
        var reader = new EventLogReader(options);
        try
        {
            foreach (var e in reader.ReadFileEvents(path))
            {
                seen.Add($"{e} {e.At.Offset}");
            }
        }
        catch (EventLogException e)
        {
            seen.Add($"thrown {e.LineNumber} {e.Rule} {e.Message}");
        }

        var s = reader.Statistics;
        seen.Add($"lines {s.Lines} events {s.Events} duplicates {s.Duplicates} blank {s.BlankLines} invalid {s.InvalidLines} bytes {s.BytesRead}");
        return seen;
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, true, true)]
    [InlineData(true, false, true)]
    [InlineData(true, true, false)]
    public void ParsedOnSeveralThreads_ReadsExactlyAsOnTheCallersThread(bool bad, bool report, bool dedup)
    {
        for (var seed = 1; seed <= 12; seed++)
        {
            var path = File(seed, 200 + (seed * 37), bad);
            var reference = Read(path, threads: 1, batchBytes: 1 << 20, report, dedup);
            Assert.True(reference.Count > (bad && !report ? 1 : 50));
            foreach (var (threads, batch) in new[] { (2, 64), (2, 1_000), (3, 257), (8, 64) })
            {
                var parallel = Read(path, threads, batch, report, dedup);
                Assert.Equal(reference[^1], parallel[^1]);
                Assert.Equal(reference, parallel);
            }
        }
    }

    [Fact]
    public void TheFirstBadLine_Throws_WithItsLineNumber_AfterTheEventsBeforeIt()
    {
        var lines = Enumerable.Range(0, 3_000).Select(i => $$"""{"id":"e{{i}}","type":"message","group":"g","member":"m","at":"2026-11-01T10:00:00+08:00"}""").ToList();
        lines[2_345] = "{\"id\":\"x\"";
        lines[2_800] = "also bad";
        var path = Path.Combine(_dir, "bad.jsonl");
        System.IO.File.WriteAllLines(path, lines);
        var reader = new EventLogReader(new EventLogReaderOptions { ParseThreads = 2, BatchBytes = 4_096 });
        var read = new List<CommunityEvent>();

        var error = Assert.Throws<EventLogException>(() => read.AddRange(reader.ReadFileEvents(path)));

        Assert.Equal(2_346, error.LineNumber);
        Assert.StartsWith("line 2346: not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(2_345, read.Count);
        Assert.Equal(2_346, reader.Statistics.Lines);
    }

    [Fact]
    public void StoppingEarly_StopsTheThreads_AndClosesTheFile()
    {
        var path = File(seed: 7, lines: 20_000, bad: false);
        var reader = new EventLogReader(new EventLogReaderOptions { ParseThreads = 2, BatchBytes = 4_096 });

        Assert.Equal(10, reader.ReadFileEvents(path).Take(10).Count());

        System.IO.File.Delete(path); // no handle left open (on every OS: Windows refuses to delete an open file)
        Assert.False(System.IO.File.Exists(path));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void ParseThreads_OutOfRange_IsRejected_NamingTheOption(int threads)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EventLogReader(new EventLogReaderOptions { ParseThreads = threads }));
        Assert.Contains("EventLogReaderOptions.ParseThreads must be from 0 (one per processor) to 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyBlankLines_AreCutIntoBoundedBatches_AndCounted()
    {
        // 200,000 blank lines keep no bytes: batches are bounded by their line count as well as their bytes.
        var path = Path.Combine(_dir, "blank.jsonl");
        var one = """{"id":"e1","type":"message","group":"g","member":"m","at":"2026-11-01T10:00:00+08:00"}""";
        System.IO.File.WriteAllText(path, one + "\n" + new string('\n', 200_000) + one.Replace("e1", "e2", StringComparison.Ordinal) + "\n");
        var reader = new EventLogReader(new EventLogReaderOptions { ParseThreads = 2, BatchBytes = 64 });

        Assert.Equal(["e1", "e2"], reader.ReadFileEvents(path).Select(e => e.Id));
        Assert.Equal(200_000, reader.Statistics.BlankLines);
        Assert.Equal(200_002, reader.Statistics.Lines);
        Assert.Equal(new FileInfo(path).Length, reader.Statistics.BytesRead);

        using var stream = System.IO.File.OpenRead(path);
        using var parsing = new ParallelLineParsing(stream, workers: 2, maxLine: 1 << 20, batchBytes: 1 << 20, printer: null);
        var lines = 0;
        while (parsing.Next() is { } batch)
        {
            Assert.InRange(batch.Count, 1, ParallelLineParsing.MaxBatchLines);
            lines += batch.Count;
            parsing.Return(batch);
        }

        Assert.Equal(200_002, lines);
    }
}
