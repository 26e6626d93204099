using System.Diagnostics;
using System.Reflection;

namespace CommunityFunnel.Samples.Tests;

/// <summary>
/// Runs the programs that `dotnet test` builds through this project's references: the README's demo and the
/// benchmarks (their agreement check and their list, never a measurement).
/// </summary>
public sealed class SampleProgramTests
{
    [Fact]
    public void Demo_runs_every_part_on_a_simulated_month_and_exits_zero()
    {
        var result = Run(Program("samples", "CommunityFunnel.Demo"));

        Assert.True(result.ExitCode == 0, $"demo exited {result.ExitCode}:\n{result.Error}");
        Assert.Contains("lifecycle:", result.Output, StringComparison.Ordinal);
        Assert.Contains("rewards:", result.Output, StringComparison.Ordinal);
        Assert.Contains("Stores (memory)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_refuses_an_unknown_store_with_exit_code_2()
    {
        var result = Run(Program("samples", "CommunityFunnel.Demo"), "--store", "nosuch:x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--store", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Benchmarks_every_activation_method_computes_the_same_rate()
    {
        var result = Run(Program("benchmarks", "CommunityFunnel.Benchmarks"), "--verify-activation", "20000");

        Assert.True(result.ExitCode == 0, $"benchmarks exited {result.ExitCode}:\n{result.Output}\n{result.Error}");
        Assert.Contains("// eligible, activated, pending, excluded: (", result.Output, StringComparison.Ordinal); // DuckDB agreed
    }

    [Fact]
    public void Benchmarks_list_the_benchmark_classes_CI_runs_in_dry_mode()
    {
        var result = Run(Program("benchmarks", "CommunityFunnel.Benchmarks"), "--list", "flat");

        Assert.True(result.ExitCode == 0, $"benchmarks exited {result.ExitCode}:\n{result.Error}");
        foreach (var name in new[] { "EventLogBenchmarks", "LotterySelectionBenchmarks", "StoreLedgerBenchmarks", "ActivationBenchmarks" })
        {
            Assert.Contains(name, result.Output, StringComparison.Ordinal);
        }
    }

    private static string Program(string folder, string project)
    {
        var metadata = typeof(SampleProgramTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value ?? "", StringComparer.Ordinal);
        var path = Path.Combine(metadata["RepoRoot"], folder, project, "bin", metadata["Configuration"], "net10.0", project + ".dll");
        Assert.True(File.Exists(path), $"{path} was not built; it is a project reference of this test project");
        return path;
    }

    private static (int ExitCode, string Output, string Error) Run(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{dll} did not finish within 5 minutes");
        }

        return (process.ExitCode, output, error.Result);
    }
}
