using System.Globalization;
using System.Text;

namespace CommunityFunnel.Tests.Fuzz;

/// <summary>
/// Runs a seeded fuzz target: each case gets its own <see cref="Random"/> from (target seed, case number), so a
/// failure names the one case to rerun. <c>COMMUNITYFUNNEL_FUZZ_ITERATIONS</c> sets the cases per target (the long
/// mode); the default keeps CI to a few seconds. A target that does not finish in a generous bound is a hang.
/// </summary>
internal static class Fuzz
{
    public const string IterationsVariable = "COMMUNITYFUNNEL_FUZZ_ITERATIONS";

    public static int Iterations(int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : ciDefault;

    /// <summary>Runs <paramref name="cases"/> cases of <paramref name="oneCase"/>; each returns whether its input was accepted (false: a typed error).</summary>
    public static FuzzCounts Run(string target, int seed, int cases, Func<Random, bool> oneCase)
    {
        var counts = new FuzzCounts(target);
        var work = Task.Run(() =>
        {
            for (var i = 0; i < cases; i++)
            {
                // Not HashCode.Combine: its results differ between processes, and a case must be the same in every run.
                var random = new Random(unchecked((seed * 1_000_003) + i));
                bool accepted;
                try
                {
                    accepted = oneCase(random);
                }
                catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                {
                    throw new Xunit.Sdk.XunitException($"{target}, case {i} (seed {seed}): an untyped {e.GetType().Name}: {e}");
                }

                counts.Count(accepted);
            }
        });

        // Not a speed measurement: a bound far above any honest run, so a hang fails instead of stalling CI.
        var bound = TimeSpan.FromSeconds(120 + (cases / 50));
        if (Task.WhenAny(work, Task.Delay(bound)).GetAwaiter().GetResult() != work)
        {
            throw new Xunit.Sdk.XunitException($"{target}: did not finish {cases} cases in {bound} (a hang?)");
        }

        work.GetAwaiter().GetResult();
        return counts;
    }

    /// <summary>The input as text for a failure message: UTF-8 where it decodes, bytes escaped where not.</summary>
    public static string Show(byte[] input)
    {
        var text = new StringBuilder();
        foreach (var b in input)
        {
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}");
        }

        return text.Length > 600 ? text.ToString(0, 600) + "..." : text.ToString();
    }
}

/// <summary>What a fuzz target saw: cases, typed errors, accepted inputs.</summary>
internal sealed class FuzzCounts(string target)
{
    public string Target { get; } = target;

    public int Cases { get; private set; }

    public int TypedErrors { get; private set; }

    public int Accepted { get; private set; }

    public void Count(bool accepted)
    {
        Cases++;
        if (accepted)
        {
            Accepted++;
        }
        else
        {
            TypedErrors++;
        }
    }

    public override string ToString() => $"{Target}: {Cases} cases, {TypedErrors} typed errors, {Accepted} accepted";
}
