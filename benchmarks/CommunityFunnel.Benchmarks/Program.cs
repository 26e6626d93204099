using BenchmarkDotNet.Running;
using CommunityFunnel.Benchmarks;

// All benchmarks: dotnet run -c Release --project benchmarks/CommunityFunnel.Benchmarks -- --filter '*'
// Memory of the event log reader against file length: ... -- --memory-probe
if (args is ["--memory-probe"])
{
    return EventLogMemoryProbe.Run();
}

if (args is ["--memory-probe-child", var path, var mode])
{
    return EventLogMemoryProbe.Child(path, mode == "dedup");
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
