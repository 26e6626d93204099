using BenchmarkDotNet.Running;
using CommunityFunnel.Benchmarks;

// All benchmarks: dotnet run -c Release --project benchmarks/CommunityFunnel.Benchmarks -- --filter '*'
// Memory of the event log reader against file length: ... -- --memory-probe
// The hosted runtime's intake rate and outbox latency on SQLite and PostgreSQL: ... -- --host-runtime N
// That every activation benchmark (and DuckDB) computes the same number, at N events: ... -- --verify-activation N
// DuckDB read_json + dedupe + the activation query on a JSON Lines file, one JSON line of counts and seconds
// (benchmarks/scale.sh): ... -- --duckdb-activation FILE AS_OF
// That every replay benchmark gives the same outcome at N events (their setups throw when not): ... -- --verify-replays N
if (args is ["--memory-probe"])
{
    return EventLogMemoryProbe.Run();
}

if (args is ["--memory-probe-child", var path, var mode])
{
    return EventLogMemoryProbe.Child(path, mode == "dedup");
}

if (args is ["--host-runtime", var hostEvents])
{
    return await HostRuntimeProbe.RunAsync(int.Parse(hostEvents, System.Globalization.CultureInfo.InvariantCulture));
}

if (args is ["--duckdb-activation", var duckPath, var duckAsOf])
{
    return DuckDbActivation.Run(duckPath, duckAsOf, Console.Out, Console.Error);
}

if (args is ["--verify-replays", var replayEvents])
{
    var n = int.Parse(replayEvents, System.Globalization.CultureInfo.InvariantCulture);
    new RewardReplayBenchmarks { Events = n }.Setup();
    new LifecycleReplayBenchmarks { Events = n }.Setup();
    return 0;
}

if (args is ["--verify-activation", var events])
{
    var count = int.Parse(events, System.Globalization.CultureInfo.InvariantCulture);
    ActivationBenchmarks.Verify(count);

    // DuckDB's query gives the library's counts on the simulator's log (Setup throws when they differ).
    var duck = new ActivationVsDuckDbBenchmarks { Events = count };
    duck.Setup();
    duck.Cleanup();
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
