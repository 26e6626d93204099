using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 19: the lifecycle replay with docs/examples/lifecycle-policy.json on the simulator's month in arrival
/// order (late lines and repeated ids included), as <c>lifecycle replay</c> runs it after reading the file: the
/// events before as-of in time order, <see cref="MemberLifecycleEngine.AdvanceTo"/> to each event's instant then
/// <see cref="MemberLifecycleEngine.Apply"/>, finally every deadline before as-of. Baseline: that loop on events
/// sorted in setup (the engine's share). Next to it: <see cref="MemberLifecycleEngine.ApplyBatch"/> on the same
/// sorted events (members' own deadlines come first either way; other members' deadlines only at the end), and the
/// whole replay from arrival order, ordered by a <c>List</c> + sort (memory O(events), the CLI's way until issue 19),
/// by the bounded <c>EventTimeOrder.Order</c> (sorted runs spilled beyond its budget; nothing is applied before the
/// last event), or by <c>EventTimeOrder.OrderWithinWindow</c>, applying events as they leave the reorder buffer and
/// starting over through <c>Order</c> if the log is further out of order than the buffer (what <c>lifecycle
/// replay</c> does on a file). Setup checks that all five end with the same members, states and action count. <see cref="LifecycleApplyBenchmarks"/> measures the engine
/// on generated steady-state activity instead. 10M events: <c>CF_REPLAY_EVENTS=1000000,10000000</c>.
/// </summary>
[MemoryDiagnoser]
public class LifecycleReplayBenchmarks
{
    private const int Chunk = 1 << 16;
    private CommunityEvent[] _events = [];
    private CommunityEvent[] _sorted = [];
    private LifecycleOptions _policy = null!;
    private CommunityFunnelOptions _shared = null!;

    [ParamsSource(nameof(Sizes))]
    public int Events { get; set; }

    public static IEnumerable<int> Sizes() => ReplayBenchmarkData.Sizes();

    [GlobalSetup]
    public void Setup()
    {
        _policy = LifecyclePolicyFile.Load(ReplayBenchmarkData.RepoFile("docs/examples/lifecycle-policy.json"));
        _shared = new CommunityFunnelOptions { TimeZoneId = _policy.TimeZoneId ?? "Asia/Shanghai", ActivationWindow = TimeSpan.FromHours(24) };
        _events = ReplayBenchmarkData.ArrivalOrder(Events, seed: 1);
        _sorted = [.. ReplayBenchmarkData.FilterDedupeSort(_events, ReplayBenchmarkData.AsOf)];

        var baseline = Outcome(Replay(_sorted));
        var batch = Outcome(Batch(_sorted));
        var listSort = Outcome(Replay(ReplayBenchmarkData.FilterDedupeSort(_events, ReplayBenchmarkData.AsOf)));
        var streamed = Outcome(Replay(Streamed()));
        var window = Outcome(WithinWindow());
        if (baseline != batch || baseline != listSort || baseline != streamed || baseline != window)
        {
            throw new InvalidOperationException($"The replays disagree: AdvanceTo+Apply {baseline}, ApplyBatch {batch}, List+sort {listSort}, EventTimeOrder.Order {streamed}, OrderWithinWindow {window}.");
        }

        Console.WriteLine($"// {_events.Length} events, {_sorted.Length} replayed; (members, applied, actions, onboarding/active/at_risk/removed/left): {baseline}");
    }

    [Benchmark(Baseline = true)]
    public long PreSorted_AdvanceToApply() => Replay(_sorted).Actions;

    [Benchmark]
    public long PreSorted_ApplyBatch() => Batch(_sorted).Actions;

    [Benchmark]
    public long FromArrival_ListSort_AdvanceToApply() => Replay(ReplayBenchmarkData.FilterDedupeSort(_events, ReplayBenchmarkData.AsOf)).Actions;

    [Benchmark]
    public long FromArrival_EventTimeOrder_AdvanceToApply() => Replay(Streamed()).Actions;

    [Benchmark]
    public long FromArrival_OrderWithinWindow_AdvanceToApply() => WithinWindow().Actions;

    /// <summary>The events before as-of in time order through the bounded orderer (repeats are left to the engine, as the CLI's reader would drop them).</summary>
    private IEnumerable<CommunityEvent> Streamed() => new EventTimeOrder().Order(BeforeAsOf());

    /// <summary>As the CLI's streaming replay: applied as they leave the buffer; from nothing through <c>Order</c> if the window is exceeded.</summary>
    private MemberLifecycleEngine WithinWindow()
    {
        var order = new EventTimeOrder();
        var engine = Replay(order.OrderWithinWindow(BeforeAsOf()));
        return order.WindowExceeded ? Replay(order.Order(BeforeAsOf())) : engine;
    }

    private IEnumerable<CommunityEvent> BeforeAsOf()
    {
        var limit = ReplayBenchmarkData.AsOf.UtcTicks;
        return _events.Where(e => e.AtUtcTicks < limit);
    }

    private MemberLifecycleEngine Replay(IEnumerable<CommunityEvent> ordered)
    {
        var engine = new MemberLifecycleEngine(_policy, _shared);
        foreach (var e in ordered)
        {
            engine.AdvanceTo(e.At);
            engine.Apply(e);
        }

        engine.AdvanceTo(ReplayBenchmarkData.AsOf.AddTicks(-1));
        return engine;
    }

    private MemberLifecycleEngine Batch(CommunityEvent[] ordered)
    {
        var engine = new MemberLifecycleEngine(_policy, _shared);
        for (var i = 0; i < ordered.Length; i += Chunk)
        {
            engine.ApplyBatch(ordered.AsSpan(i, Math.Min(Chunk, ordered.Length - i)));
        }

        engine.AdvanceTo(ReplayBenchmarkData.AsOf.AddTicks(-1));
        return engine;
    }

    private static (int Members, long Applied, long Actions, string States) Outcome(MemberLifecycleEngine engine)
    {
        var counts = new int[5];
        foreach (var m in engine.Members())
        {
            counts[(int)m.State]++;
        }

        return (engine.Count, engine.Applied, engine.Actions, string.Join('/', counts));
    }
}
