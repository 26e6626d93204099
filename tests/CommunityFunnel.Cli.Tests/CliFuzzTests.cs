using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Tests.Fuzz;
using Xunit.Abstractions;

namespace CommunityFunnel.Cli.Tests;

/// <summary>
/// The CLI's commands on mutated inputs, in-process (issue 22): a simulated event log with one line mutated, mutated
/// policy and rules files, mutated proofs. Every run ends with an exit code the usage text documents and, on bad
/// input, one line on standard error that names the command and (for an event log) the bad line: never an exception
/// out of <see cref="CliApp.Run"/>, never a stack trace. Seeded; <c>COMMUNITYFUNNEL_FUZZ_ITERATIONS</c> for a long run.
/// </summary>
public sealed class CliFuzzTests : IDisposable
{
    private const string AsOf = "2026-11-05T00:00:00+08:00";
    private static readonly string[] LogLines = SimulatedLog();
    private readonly string _dir = Directory.CreateTempSubdirectory("cf-cli-fuzz-").FullName;
    private readonly ITestOutputHelper _output;

    public CliFuzzTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    private static string[] SimulatedLog()
    {
        var result = CliRunner.Run("simulate", "--members", "60", "--days", "4", "--seed", "22");
        Assert.Equal(0, result.ExitCode);
        return result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Asserts what every run must be; returns whether the input was accepted.</summary>
    private static bool Check(CliResult result, string command, params int[] allowedExits)
    {
        Assert.Contains(result.ExitCode, allowedExits);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Err, StringComparison.Ordinal);
        if (result.ExitCode == 2)
        {
            Assert.StartsWith($"community-funnel {command}: ", result.Err, StringComparison.Ordinal);
        }

        return result.ExitCode == 0;
    }

    [Fact]
    public void ALogWithOneMutatedLine_IsRefusedNamingThatLine_OrReplayedByEveryCommand()
    {
        var policy = DataFile("lifecycle-policy.json");
        var rules = DataFile("rewards-rules.json");
        var counts = Fuzz.Run("cli event log", 22_101, Fuzz.Iterations(150), random =>
        {
            var k = random.Next(LogLines.Length);
            var mutated = JsonMutator.Mutate(LogLines[k], random);
            var log = new MemoryStream();
            for (var i = 0; i < LogLines.Length; i++)
            {
                log.Write(i == k ? mutated : Encoding.UTF8.GetBytes(LogLines[i]));
                log.WriteByte((byte)'\n');
            }

            var events = Write("events.jsonl", log.ToArray());
            var last = k + 1 + mutated.Count(b => b == (byte)'\n');
            var accepted = true;
            foreach (var (command, args) in new (string, string[])[]
            {
                ("activation", ["activation", "--events", events, "--as-of", AsOf, "--by", "channel"]),
                ("funnel", ["funnel", "--events", events, "--as-of", AsOf]),
                ("lifecycle", ["lifecycle", "replay", "--events", events, "--policy", policy, "--as-of", AsOf]),
                ("rewards", ["rewards", "replay", "--events", events, "--rules", rules, "--as-of", AsOf]),
            })
            {
                var result = CliRunner.Run(args);
                if (!Check(result, command, 0, 2))
                {
                    accepted = false;
                    var named = Enumerable.Range(k + 1, last - k).Any(n => result.Err.Contains($": line {n}: ", StringComparison.Ordinal));
                    Assert.True(named, $"{command} did not name line {k + 1}..{last}: {result.Err} for {Fuzz.Show(mutated)}");
                }
            }

            return accepted;
        });

        _output.WriteLine(counts.ToString());
    }

    [Fact]
    public void MutatedPolicyAndRulesFiles_AreRefusedInOneLine_OrReplayed()
    {
        var events = Write("events.jsonl", Encoding.UTF8.GetBytes(string.Join('\n', LogLines)));
        var policy = File.ReadAllText(DataFile("lifecycle-policy.json"));
        var rules = File.ReadAllText(DataFile("rewards-rules.json"));
        var counts = Fuzz.Run("cli policy and rules files", 22_102, Fuzz.Iterations(300), random =>
        {
            if (random.Next(2) == 0)
            {
                var file = Write("policy.json", JsonMutator.Mutate(policy, random));
                var replay = Check(CliRunner.Run("lifecycle", "replay", "--events", events, "--policy", file, "--as-of", AsOf), "lifecycle", 0, 2);
                var graph = Check(CliRunner.Run("lifecycle", "graph", "--policy", file), "lifecycle", 0, 2);
                Assert.Equal(replay, graph);
                return replay;
            }

            var rulesFile = Write("rules.json", JsonMutator.Mutate(rules, random));
            return Check(CliRunner.Run("rewards", "replay", "--events", events, "--rules", rulesFile, "--as-of", AsOf), "rewards", 0, 2);
        });

        _output.WriteLine(counts.ToString());
    }

    [Fact]
    public void MutatedDrawInputsAndProofs_AreRefused_OrRunAndVerify()
    {
        var cases = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "fair-draw-v1.json")))!["cases"]!.AsArray();
        var counts = Fuzz.Run("cli draw inputs and proofs", 22_103, Fuzz.Iterations(300), random =>
        {
            var vector = cases[random.Next(cases.Count)]!;
            if (random.Next(2) == 0)
            {
                var input = Write("input.json", JsonMutator.Mutate(vector["input"]!.ToJsonString(), random));
                var proofFile = Path.Combine(_dir, "proof.json");
                File.Delete(proofFile);
                var ran = Check(CliRunner.Run("draw", "run", "--input", input, "--out", proofFile), "draw", 0, 2);
                if (ran)
                {
                    // Whatever the mutation left acceptable, the proof the CLI wrote verifies.
                    Assert.Equal(0, CliRunner.Run("draw", "verify", proofFile).ExitCode);
                }

                return ran;
            }

            var proof = Write("proof.json", JsonMutator.Mutate(vector["proof"]!.ToJsonString(), random));
            var verdict = CliRunner.Run("draw", "verify", proof);
            Check(verdict, "draw", 0, 1, 2);
            return verdict.ExitCode != 2;
        });

        _output.WriteLine(counts.ToString());
    }
}
