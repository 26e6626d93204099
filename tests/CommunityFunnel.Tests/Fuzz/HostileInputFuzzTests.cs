using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityFunnel.Activation;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Tests.Lottery;
using Xunit.Abstractions;

namespace CommunityFunnel.Tests.Fuzz;

/// <summary>
/// Hostile input never stops the library: mutated event lines, policy files, rules files, draw inputs and proofs go
/// through every public parser and the engines behind them. Property: a typed error of the documented kind with its
/// location, or a valid result; never any other exception, never a hang. Seeded and deterministic; set
/// <c>COMMUNITYFUNNEL_FUZZ_ITERATIONS</c> for a long run.
/// </summary>
public sealed class HostileInputFuzzTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>One line of every event type, each field the spec has, an order at the largest amount.</summary>
    internal static readonly string[] ValidLines =
    [
        """{"id":"e-1","type":"joined","group":"g-1","member":"m-1","at":"2026-11-01T20:15:00+08:00","channel":"poster","role":"member","by":"m-9"}""",
        """{"id":"e-2","type":"message","group":"g-1","member":"m-1","at":"2026-11-01T20:17:09.250+08:00"}""",
        """{"id":"e-3","type":"nickname_changed","group":"g-1","member":"m-1","at":"2026-11-01T20:18:00+08:00","nickname":"上海-张三-设计师"}""",
        """{"id":"e-4","type":"checkin","group":"g-1","member":"m-1","at":"2026-11-02T08:00:00+08:00","task":"daily-checkin"}""",
        """{"id":"e-5","type":"task_submitted","group":"g-1","member":"m-1","at":"2026-11-02T09:00:00+08:00","task":"share-screenshot"}""",
        """{"id":"e-6","type":"task_approved","group":"g-1","member":"m-1","at":"2026-11-02T10:00:00+08:00","task":"share-screenshot","by":"staff-1"}""",
        """{"id":"e-7","type":"task_rejected","group":"g-1","member":"m-1","at":"2026-11-02T11:00:00Z","task":"suggestion-form"}""",
        """{"id":"e-8","type":"lottery_entered","group":"g-1","member":"m-1","at":"2026-11-03T12:00:00Z"}""",
        """{"id":"e-9","type":"order","group":"g-1","member":"m-1","at":"2026-11-03T12:30:00Z","amount":9007199254740991,"currency":"CNY"}""",
        """{"id":"e-10","type":"order","group":"g-1","member":"m-1","at":"2026-11-03T12:31:00Z","amount":9007199254740991}""",
        """{"id":"e-11","type":"joined","group":"g-vip","member":"m-2","at":"2026-11-04T00:00:00-05:00","role":"staff"}""",
        """{"id":"e-12","type":"left","group":"g-1","member":"m-1","at":"2026-11-20T00:00:00+08:00"}""",
        """{"id":"e-13","type":"removed","group":"g-vip","member":"m-2","at":"2026-11-21T00:00:00+08:00","by":"m-owner"}""",
    ];

    internal const string PolicyFile = """
        {
          "description": "The seed article's group.",
          "timeZone": "Asia/Shanghai",
          "default": {
            "nicknamePattern": "^[^-\\s]+-[^-\\s]+-[^-\\s]+$",
            "onboardingGrace": "24h",
            "speakEveryDays": 3,
            "requiredTasks": [ { "id": "share-screenshot", "within": "48h" } ],
            "warningGrace": "48h",
            "protectedMembers": ["m-owner", "m-assistant-bot"],
            "rejoinBan": "forever",
            "rejoinAfterLeaving": "onboarding",
            "rules": "1. 群昵称改为 城市-姓名-职业."
          },
          "groups": { "g-vip": { "speakEveryDays": 7, "warningGrace": "72h", "rejoinBan": "30d", "rejoinAfterLeaving": "active" } }
        }
        """;

    internal const string RulesFile = """
        {
          "timeZone": "Asia/Shanghai",
          "budgets": [ { "id": "streak-coupons", "limit": 500 } ],
          "rules": [
            { "id": "checkin-ticket", "trigger": { "kind": "checkin" }, "eligibility": { "states": ["inGroup"] },
              "rewards": [{ "kind": "tickets", "quantity": 1, "draw": "weekly-{week}" }], "limits": { "perMemberPerDay": 1 } },
            { "id": "streak-7-coupon", "trigger": { "kind": "streak", "count": 7 },
              "rewards": [{ "kind": "coupon", "coupon": { "kind": "percentOff", "percentOff": 20, "validDays": 14 } }],
              "limits": { "perMemberPerWeek": 1 }, "budget": "streak-coupons" },
            { "id": "spend-total", "trigger": { "kind": "orderTotal", "period": "month", "amount": 9223372036854775807 },
              "rewards": [{ "kind": "points", "quantity": 4294967295, "cost": 1 }] },
            { "id": "first-order", "trigger": { "kind": "firstOrder" }, "rewards": [{ "kind": "points", "quantity": 50 }] },
            { "id": "messages", "trigger": { "kind": "count", "event": "message", "count": 2, "period": "day" },
              "rewards": [{ "kind": "coupon", "coupon": { "kind": "amountOff", "amountOff": 9007199254740991 } }], "limits": { "ruleTotal": 9223372036854775807 } },
            { "id": "share-points", "trigger": { "kind": "approved", "task": "share-screenshot" },
              "rewards": [{ "kind": "points", "quantity": 50 }], "limits": { "perMemberPerDay": 1 } }
          ]
        }
        """;

    private static readonly LifecycleOptions Policy = LifecyclePolicyFile.Parse(PolicyFile);
    private static readonly RewardRuleSet Rules = RewardRuleSet.Parse(RulesFile);
    private static readonly CommunityEvent[] ValidEvents = [.. new EventLogReader().Read(new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', ValidLines))))];

    [Fact]
    public void TheSeedInputs_AreValid_SoEveryMutationStartsFromAcceptedText()
    {
        Assert.Equal(ValidLines.Length, ValidEvents.Length);
        Assert.NotEmpty(RewardReplay.Run(ValidEvents, Rules, AsOf).Ledger);
        RunEngines(ValidEvents);
        foreach (var (input, proof) in DrawSeeds())
        {
            Assert.True(FairDraw.Verify(FairDrawJson.ReadProof(Encoding.UTF8.GetBytes(proof))).IsValid);
            Assert.True(FairDraw.Verify(FairDraw.Run(FairDrawJson.ReadInput(Encoding.UTF8.GetBytes(input)))).IsValid);
        }
    }

    [Fact]
    public void MutatedEventLines_AreTypedErrorsNamingTheirLine_OrEvents_ThatEveryEngineTakes()
    {
        var counts = Fuzz.Run("event lines", 22_001, Fuzz.Iterations(3000), random =>
        {
            var k = random.Next(ValidLines.Length);
            var mutated = JsonMutator.Mutate(ValidLines[k], random);
            var log = Log(k, mutated);
            var errors = new List<EventLogException>();
            var reader = new EventLogReader(new EventLogReaderOptions { OnInvalidLine = errors.Add, MaxLineBytes = 4096 });
            var events = reader.Read(new MemoryStream(log)).ToList();

            // A mutation may add line ends: the bad lines are the mutated one and those it split off.
            var last = k + 1 + mutated.Count(b => b == (byte)'\n');
            foreach (var error in errors)
            {
                Assert.True(error.LineNumber >= k + 1 && error.LineNumber <= last, $"line {error.LineNumber} blamed for a mutation of line {k + 1}: {Fuzz.Show(mutated)}");
                Assert.StartsWith($"line {error.LineNumber}: ", error.Message, StringComparison.Ordinal);
                Assert.True(Enum.IsDefined(error.Rule));
            }

            if (random.Next(4) == 0)
            {
                AssertTheAsyncReaderAgrees(log, events, errors);
            }

            RunEngines(events);
            return errors.Count == 0;
        });

        output.WriteLine(counts.ToString());
    }

    [Fact]
    public void MutatedPolicyFiles_AreFormatErrors_OrPolicies_ThatTheLifecycleEngineRuns()
    {
        var counts = Fuzz.Run("policy files", 22_002, Fuzz.Iterations(1500), random =>
        {
            var mutated = JsonMutator.Mutate(PolicyFile, random);
            LifecycleOptions options;
            try
            {
                options = LifecyclePolicyFile.Parse(Utf8OrReplacement(mutated));
            }
            catch (FormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                return false;
            }

            var engine = new MemberLifecycleEngine(options);
            foreach (var e in ValidEvents)
            {
                engine.Apply(e);
            }

            engine.AdvanceTo(AsOf);
            engine.AdvanceTo(DateTimeOffset.MaxValue);
            return true;
        });

        output.WriteLine(counts.ToString());
    }

    [Fact]
    public void MutatedRulesFiles_AreJsonOrArgumentErrors_OrRules_ThatTheRewardEngineRuns()
    {
        var counts = Fuzz.Run("rules files", 22_003, Fuzz.Iterations(1500), random =>
        {
            var mutated = JsonMutator.Mutate(RulesFile, random);
            RewardRuleSet rules;
            try
            {
                rules = RewardRuleSet.Parse(Utf8OrReplacement(mutated));
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                return false;
            }

            RewardReplay.Run(ValidEvents, rules, AsOf);
            RewardReplay.Run(ValidEvents, rules, DateTimeOffset.MaxValue);
            return true;
        });

        output.WriteLine(counts.ToString());
    }

    [Fact]
    public void MutatedDrawInputs_AreTypedErrorsNamingTheField_OrDrawsWhoseProofVerifies()
    {
        var seeds = DrawSeeds().Select(s => s.Input).ToArray();
        var counts = Fuzz.Run("draw inputs", 22_004, Fuzz.Iterations(1500), random =>
        {
            var mutated = JsonMutator.Mutate(seeds[random.Next(seeds.Length)], random);
            DrawProof proof;
            try
            {
                proof = FairDraw.Run(FairDrawJson.ReadInput(mutated));
            }
            catch (FairDrawInputException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Field));
                return false;
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                return false;
            }

            Assert.True(FairDraw.Verify(proof).IsValid, Fuzz.Show(mutated));
            Assert.True(FairDraw.Verify(FairDrawJson.ReadProof(Encoding.UTF8.GetBytes(FairDrawJson.ProofToJson(proof)))).IsValid);
            return true;
        });

        output.WriteLine(counts.ToString());
    }

    [Fact]
    public void MutatedProofs_AreTypedErrors_OrVerify_ToValidOrANamedDifference()
    {
        var seeds = DrawSeeds().Select(s => s.Proof).ToArray();
        var counts = Fuzz.Run("draw proofs", 22_005, Fuzz.Iterations(1500), random =>
        {
            var mutated = JsonMutator.Mutate(seeds[random.Next(seeds.Length)], random);
            DrawProof proof;
            try
            {
                proof = FairDrawJson.ReadProof(mutated);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                return false;
            }

            var verification = FairDraw.Verify(proof);
            Assert.True(verification.IsValid || !string.IsNullOrEmpty(verification.Field));
            return verification.IsValid;
        });

        output.WriteLine(counts.ToString());
    }

    /// <summary>The activation calculator, the lifecycle engine and the reward engine over the events, at a normal and the largest as-of.</summary>
    private static void RunEngines(IReadOnlyList<CommunityEvent> events)
    {
        foreach (var asOf in new[] { AsOf, DateTimeOffset.MaxValue })
        {
            ActivationCalculator.Calculate(events, new ActivationQuery(asOf) { BreakdownBy = ActivationBreakdownBy.Channel });
            RewardReplay.Run(events, Rules, asOf);
        }

        var engine = new MemberLifecycleEngine(Policy);
        foreach (var e in events)
        {
            engine.Apply(e);
        }

        engine.AdvanceTo(AsOf);
        engine.AdvanceTo(DateTimeOffset.MaxValue);
    }

    private static void AssertTheAsyncReaderAgrees(byte[] log, List<CommunityEvent> events, List<EventLogException> errors)
    {
        var asyncErrors = new List<EventLogException>();
        var reader = new EventLogReader(new EventLogReaderOptions { OnInvalidLine = asyncErrors.Add, MaxLineBytes = 4096 });
        var asyncEvents = reader.ReadAsync(new MemoryStream(log)).ToBlockingEnumerable().ToList();

        Assert.Equal(events, asyncEvents);
        Assert.Equal(errors.Select(e => e.Message), asyncErrors.Select(e => e.Message));
    }

    private static byte[] Log(int k, byte[] mutated)
    {
        var log = new MemoryStream();
        for (var i = 0; i < ValidLines.Length; i++)
        {
            log.Write(i == k ? mutated : Encoding.UTF8.GetBytes(ValidLines[i]));
            log.WriteByte((byte)'\n');
        }

        return log.ToArray();
    }

    /// <summary>The text a host gets from File.ReadAllText: invalid UTF-8 becomes U+FFFD.</summary>
    private static string Utf8OrReplacement(byte[] bytes) => new StreamReader(new MemoryStream(bytes), Encoding.UTF8).ReadToEnd();

    private static IEnumerable<(string Input, string Proof)> DrawSeeds() =>
        Vectors.Load("fair-draw-v1.json")["cases"]!.AsArray()
            .Where(c => c!["input"]!["entries"]!.AsArray().Count <= 40)
            .Select(c => (c!["input"]!.ToJsonString(), c["proof"]!.ToJsonString()));
}
