using BenchmarkDotNet.Attributes;
using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// Issue 6 target: memory per member (bytes/member = Allocated / Members). Each member sends one message and checks
/// in once; the 50 rules hold per-member state but grant nothing here (nobody is eligible, so the ledger stays empty). The baseline's figure includes its per-event garbage; the engine's is almost all retained state. Baseline: the
/// naive engine, which keeps each member's history.
/// </summary>
[MemoryDiagnoser]
public class RewardsMemoryBenchmarks
{
    private CommunityEvent[] _events = [];
    private RewardRuleSet _rules = new();

    [Params(100_000)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Keep every rule's per-member state, but grant nothing: nobody is eligible, and thresholds are out of reach.
        var full = RewardsBenchmarkData.FiftyRules();
        _rules = full with
        {
            Rules = full.Rules.Select(r => r with
            {
                Eligibility = new RewardEligibility { JoinedBefore = DateTimeOffset.UnixEpoch },
                Trigger = r.Trigger.Kind switch
                {
                    RewardTriggerKind.Checkin => r.Trigger with { Task = "never" },
                    RewardTriggerKind.Count or RewardTriggerKind.Streak => r.Trigger with { Count = 1_000 },
                    _ => r.Trigger,
                },
            }).ToList(),
        };
        var at = new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.FromHours(8));
        _events = Enumerable.Range(0, Members).SelectMany(i => new[]
        {
            new CommunityEvent($"m{i}", EventType.Message, "g", $"member-{i}", at),
            new CommunityEvent($"c{i}", EventType.Checkin, "g", $"member-{i}", at, task: "daily"),
        }).ToArray();
    }

    [Benchmark(Baseline = true)]
    public long NaiveHistoryPerMember()
    {
        var naive = new NaiveRewardEngine(_rules, TimeZoneInfo.Utc, new InMemoryRewardLedger());
        foreach (var e in _events)
        {
            naive.Process(e);
        }

        return naive.Grants;
    }

    [Benchmark]
    public int EngineStatePerMember()
    {
        var engine = new RewardEngine(_rules, TimeZoneInfo.Utc, new InMemoryRewardLedger(), new InMemoryMemberDirectory());
        foreach (var e in _events)
        {
            engine.ProcessAsync(e).GetAwaiter().GetResult(); // in memory: completes at once
        }

        return engine.MemberCount;
    }
}
