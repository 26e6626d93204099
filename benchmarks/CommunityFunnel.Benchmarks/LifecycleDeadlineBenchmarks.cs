using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 5 target: <c>AdvanceTo</c> with 1M members and 10 000 deadlines due ≤ 10 ms (the due members are reminded).
/// Baseline: scanning every member's deadline, as a plain dictionary of members would have to.
/// Each invocation starts from a fresh copy of the same state (IterationSetup, one invocation per iteration).
/// </summary>
[MemoryDiagnoser]
public class LifecycleDeadlineBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private LifecycleEngine _template = null!;
    private LifecycleEngine _engine = null!;
    private long[] _deadlines = [];
    private long[] _scanCopy = [];
    private long _now;

    [Params(100_000, 1_000_000)]
    public int Members { get; set; }

    [Params(10_000)]
    public int Due { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Joins spread one second apart; with a 24h nickname grace, the first Due members fall due at Start + 24h + Due seconds.
        var policy = new LifecyclePolicy { NicknamePattern = "^[^-]+-[^-]+-[^-]+$" };
        _template = new LifecycleEngine(new LifecycleOptions { DefaultPolicy = policy }, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), TimeSpan.FromHours(24), Members);
        _deadlines = new long[Members];
        for (var i = 0; i < Members; i++)
        {
            var at = Start.AddSeconds(i);
            _template.Apply(new CommunityEvent("j-" + i, EventType.Joined, "g1", "m-" + i, at));
            _deadlines[i] = at.AddHours(24).UtcTicks;
        }

        _now = Start.AddHours(24).AddSeconds(Due - 1).UtcTicks;
        _scanCopy = new long[Members];
    }

    [IterationSetup]
    public void Fresh()
    {
        _engine = _template.Clone();
        Array.Copy(_deadlines, _scanCopy, Members);
    }

    [Benchmark(Baseline = true)]
    [InvocationCount(1)]
    public int ScanAllMembers()
    {
        var processed = 0;
        var deadlines = _scanCopy;
        for (var i = 0; i < deadlines.Length; i++)
        {
            if (deadlines[i] != 0 && deadlines[i] <= _now)
            {
                deadlines[i] += TimeSpan.TicksPerDay * 2;
                processed++;
            }
        }

        return processed;
    }

    [Benchmark]
    [InvocationCount(1)]
    public int LifecycleEngine_AdvanceTo() => _engine.AdvanceTo(_now);
}
