using System.Diagnostics;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Demo;

/// <summary>
/// The Stores part of the demo: <c>--store memory|sqlite:PATH</c>. The month goes through the registered stores
/// (member lifecycle and reward ledger); run twice on the same SQLite file, the second run continues from what the
/// first stored: every event is already applied and every grant already in the ledger.
/// </summary>
internal static class StoresDemo
{
    /// <summary>The <c>--store</c> option: <c>memory</c> (default) or <c>sqlite:PATH</c>; null with a message when bad.</summary>
    public static string? ParseStore(IReadOnlyList<string> args, TextWriter error)
    {
        var store = "memory";
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--store" && i + 1 < args.Count)
            {
                store = args[++i];
            }
            else if (args[i].StartsWith("--store=", StringComparison.Ordinal))
            {
                store = args[i]["--store=".Length..];
            }
            else
            {
                error.WriteLine($"unknown argument '{args[i]}'; usage: CommunityFunnel.Demo [--store memory|sqlite:PATH]");
                return null;
            }
        }

        if (store == "memory" || (store.StartsWith("sqlite:", StringComparison.Ordinal) && store.Length > "sqlite:".Length))
        {
            return store;
        }

        error.WriteLine($"--store '{store}' is not 'memory' or 'sqlite:PATH'");
        return null;
    }

    /// <summary>Registers the stores the option names, and the seed article's reward rules for the ledger.</summary>
    public static void Configure(CommunityFunnelBuilder builder, string store)
    {
        if (store.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(store["sqlite:".Length..]);
            builder.UseSqliteStores($"Data Source={path}", o => o.Synchronous = SqliteSynchronous.Normal);
        }
        else
        {
            builder.UseInMemoryStores();
        }

        builder.AddRewardRules(RewardPresets.SeedArticle());
    }

    public static async Task RunAsync(DemoContext demo, string store)
    {
        var o = demo.Out;
        o.WriteLine();
        o.WriteLine($"Stores ({store}): the month through the member store and the reward ledger");
        var lifecycle = demo.Services.GetRequiredService<IMemberLifecycle>();
        var ledger = demo.Services.GetRequiredService<IRewardLedger>();
        var ledgerBefore = (await ledger.GetEntriesAsync(CancellationToken.None)).Count;
        var watch = Stopwatch.StartNew();
        int duplicates = 0, transitions = 0, actions = 0;
        foreach (var e in demo.Events)
        {
            actions += (await lifecycle.AdvanceToAsync(e.At)).Count;
            var result = await lifecycle.ApplyAsync(e);
            actions += result.Actions.Count;
            transitions += result.Transitions.Count;
            duplicates += result.Duplicate ? 1 : 0;
        }

        actions += (await lifecycle.AdvanceToAsync(demo.AsOf)).Count;
        o.WriteLine($"  lifecycle: {demo.Events.Count:N0} events, {duplicates:N0} already applied, {transitions:N0} state changes, {actions:N0} actions emitted ({watch.Elapsed.TotalSeconds:N1} s)");

        watch.Restart();
        var engine = demo.Services.GetRequiredService<IRewardEngine>();
        foreach (var e in demo.Events)
        {
            await engine.ProcessAsync(e);
        }

        var s = engine.Statistics;
        var ledgerAfter = (await ledger.GetEntriesAsync(CancellationToken.None)).Count;
        o.WriteLine($"  rewards:   {s.Grants:N0} new grants, {s.AlreadyGranted:N0} already in the ledger, {s.Reversals:N0} reversals ({watch.Elapsed.TotalSeconds:N1} s)");
        o.WriteLine($"  ledger:    {ledgerBefore:N0} entries before this run, {ledgerAfter:N0} after");
        if (store == "memory")
        {
            o.WriteLine("  (in memory: a second run starts over; with --store sqlite:PATH a second run continues from the file)");
        }
    }
}
