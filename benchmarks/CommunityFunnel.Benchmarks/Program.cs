using BenchmarkDotNet.Running;
using CommunityFunnel.Benchmarks;

// All benchmarks: dotnet run -c Release --project benchmarks/CommunityFunnel.Benchmarks -- --filter '*'
// Memory of the event log reader against file length: ... -- --memory-probe
// That every activation benchmark computes the same number, at N events: ... -- --verify-activation N
if (args is ["--memory-probe"])
{
    return EventLogMemoryProbe.Run();
}

if (args is ["--memory-probe-child", var path, var mode])
{
    return EventLogMemoryProbe.Child(path, mode == "dedup");
}

if (args is ["--verify-activation", var events])
{
    ActivationBenchmarks.Verify(int.Parse(events, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
