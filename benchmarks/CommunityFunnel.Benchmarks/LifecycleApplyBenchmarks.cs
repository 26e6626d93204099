using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 5 target: apply 10M events across 1M members at ≥ 5M events/s with 0 bytes allocated per event on the
/// steady-state path (activity of members in good standing). Baseline: a plain dictionary of members updated
/// with a switch statement. Per-op numbers are per event (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class LifecycleApplyBenchmarks
{
    private const int Events = 1_000_000;
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly EventType[] Types = [EventType.Message, EventType.Message, EventType.Message, EventType.Checkin, EventType.LotteryEntered];
    private LifecycleEngine _engine = null!;
    private MemberLifecycleEngine _public = null!;
    private CommunityEvent[] _events = [];
    private Dictionary<MemberKey, BaselineMember> _baseline = null!;
    private string[] _members = [];
    private string[] _ids = [];
    private long _clock;
    private long _step;

    /// <summary>Members. Each invocation applies 1M events spread over them; a ShortRun applies well over 10M in all.</summary>
    [Params(100_000, 1_000_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var policy = new LifecyclePolicy { NicknamePattern = "^[^-]+-[^-]+-[^-]+$", SpeakEveryDays = 3 };
        policy.RequiredTasks.Add(new LifecycleTask { Id = "share", Within = TimeSpan.FromDays(365) });
        _engine = new LifecycleEngine(new LifecycleOptions { DefaultPolicy = policy }, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), TimeSpan.FromHours(24), Members);
        _public = new MemberLifecycleEngine(new LifecycleOptions { DefaultPolicy = policy }, new CommunityFunnelOptions { TimeZoneId = "Asia/Shanghai" }, Members);
        _baseline = new Dictionary<MemberKey, BaselineMember>(Members);
        _members = new string[Members];
        _ids = new string[4096];
        for (var i = 0; i < _ids.Length; i++)
        {
            _ids[i] = "e-" + i;
        }

        var at = Start;
        for (var i = 0; i < Members; i++)
        {
            _members[i] = "m-" + i;
            _engine.Apply(new CommunityEvent("j-" + i, EventType.Joined, "g1", _members[i], at));
            _engine.Apply(new CommunityEvent("n-" + i, EventType.NicknameChanged, "g1", _members[i], at.AddSeconds(1), nickname: "上海-王-师"));
            _public.Apply(new CommunityEvent("j-" + i, EventType.Joined, "g1", _members[i], at));
            _public.Apply(new CommunityEvent("n-" + i, EventType.NicknameChanged, "g1", _members[i], at.AddSeconds(1), nickname: "上海-王-师"));
            _baseline[new MemberKey("g1", _members[i])] = new BaselineMember { State = MemberState.Active, JoinedAt = at.UtcTicks };
        }

        // 1M events per invocation spread over 1 hour of event time: every member speaks far more often than every 3 days.
        _clock = at.AddMinutes(1).UtcTicks;
        _step = TimeSpan.FromHours(1).Ticks / Events;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public long DictionaryWithSwitch()
    {
        var clock = _clock;
        long touched = 0;
        for (var i = 0; i < Events; i++)
        {
            var member = _members[(int)((uint)(i * 7919) % (uint)Members)];
            clock += _step;
            ref var m = ref CollectionsMarshal.GetValueRefOrNullRef(_baseline, new MemberKey("g1", member));
            switch (Types[i % Types.Length])
            {
                case EventType.Message:
                case EventType.Checkin:
                case EventType.LotteryEntered:
                    if (m.FirstActivityAt == 0)
                    {
                        m.FirstActivityAt = clock;
                    }

                    m.LastActivityAt = clock;
                    touched++;
                    break;
                case EventType.Left:
                    m.State = MemberState.Left;
                    break;
                default:
                    break;
            }
        }

        _clock = clock;
        return touched;
    }

    /// <summary>The design's hot path: the host keeps each member's int slot (from <c>Slot(group, member)</c>).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long LifecycleEngine_ApplyBySlot()
    {
        var clock = _clock;
        for (var i = 0; i < Events; i++)
        {
            var slot = (int)((uint)(i * 7919) % (uint)Members);
            clock += _step;
            _engine.Apply(slot, new LifecycleEvent(_ids[i & 4095], Types[i % Types.Length], clock, _members[slot]));
        }

        _clock = clock;
        return _engine.Applied;
    }

    /// <summary>Looking the member up by (group, member) strings on every event, as the baseline does.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long LifecycleEngine_ApplyByKey()
    {
        var clock = _clock;
        for (var i = 0; i < Events; i++)
        {
            var member = _members[(int)((uint)(i * 7919) % (uint)Members)];
            clock += _step;
            var slot = _engine.Slot("g1", member);
            _engine.Apply(slot, new LifecycleEvent(_ids[i & 4095], Types[i % Types.Length], clock, member));
        }

        _clock = clock;
        return _engine.Applied;
    }

    /// <summary>The host's events of the next invocation of <see cref="MemberLifecycleEngine_Apply"/> or <see cref="MemberLifecycleEngine_ApplyBatch"/>, built outside the measurement (a host has them parsed already).</summary>
    [IterationSetup(Targets = [nameof(MemberLifecycleEngine_Apply), nameof(MemberLifecycleEngine_ApplyBatch)])]
    public void BuildEvents()
    {
        if (_events.Length != Events)
        {
            _events = new CommunityEvent[Events];
        }

        var clock = _clock;
        for (var i = 0; i < Events; i++)
        {
            clock += _step;
            _events[i] = new CommunityEvent(_ids[i & 4095], Types[i % Types.Length], "g1", _members[(int)((uint)(i * 7919) % (uint)Members)], new DateTimeOffset(clock, TimeSpan.Zero), task: "daily");
        }
    }

    /// <summary>The public API: <see cref="MemberLifecycleEngine.Apply"/> with the event as the host has it ((group, member) strings).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long MemberLifecycleEngine_Apply()
    {
        var events = _events;
        for (var i = 0; i < events.Length; i++)
        {
            _public.Apply(events[i]);
        }

        _clock = events[^1].AtUtcTicks;
        return _public.Applied;
    }

    /// <summary>The public batch API: <see cref="MemberLifecycleEngine.ApplyBatch"/> on the same events.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long MemberLifecycleEngine_ApplyBatch()
    {
        _public.ApplyBatch(_events);
        _clock = _events[^1].AtUtcTicks;
        return _public.Applied;
    }

    private struct BaselineMember
    {
        public MemberState State;
        public long JoinedAt;
        public long FirstActivityAt;
        public long LastActivityAt;
    }
}
