using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Demo;

/// <summary>The Rewards part of the demo: the seed article's presets over the simulated month.</summary>
internal static class RewardsDemo
{
    private static RewardReplayResult? _replay;

    public static void Run(DemoContext demo)
    {
        var result = Replay(demo);
        var o = demo.Out;
        o.WriteLine();
        o.WriteLine("Rewards: the seed article's presets over the simulated month");
        o.WriteLine($"  {result.Statistics.Grants:N0} grants, {result.Statistics.Reversals:N0} reversed by a later rejection, "
            + $"{result.Statistics.LimitReached:N0} capped, {result.Statistics.BudgetExhausted:N0} over budget, {result.Statistics.Ineligible:N0} ineligible");
        o.WriteLine($"  {"rule",-26} {"grants",8} {"reversed",9} {"points",8} {"tickets",8} {"coupons",8}");
        foreach (var r in result.Rules)
        {
            o.WriteLine($"  {r.RuleId,-26} {r.Grants,8:N0} {r.Reversals,9:N0} {r.Points,8:N0} {r.Tickets,8:N0} {r.Coupons,8:N0}");
        }

        foreach (var b in result.Budgets)
        {
            o.WriteLine($"  budget {b.BudgetId}: {b.Used:N0} of {b.Limit:N0} used, {b.Remaining:N0} left");
        }

        o.WriteLine("  Tickets per draw:");
        foreach (var d in result.Draws)
        {
            o.WriteLine($"    {d.DrawId,-24} {d.Entries,6:N0} members {d.Tickets,8:N0} tickets");
        }

        var (drawId, entries) = WeeklyDraw(demo);
        if (entries.Count > 0)
        {
            var path = Path.Combine(demo.OutputDirectory, drawId + ".entries.json");
            File.WriteAllText(path, RewardsDemoJson.Entries(drawId, entries));
            o.WriteLine($"  Weekly draw {drawId}: {entries.Count:N0} entries, {entries.Sum(e => e.Weight):N0} tickets -> {path}");
        }
    }

    /// <summary>The presets replayed over the demo's month (computed once), in the community's time zone.</summary>
    public static RewardReplayResult Replay(DemoContext demo)
    {
        var zone = demo.Services.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value.TimeZoneId;
        return _replay ??= RewardReplay.Run(demo.Events, RewardPresets.SeedArticle(), demo.AsOf, zone);
    }

    /// <summary>
    /// The weekly draw to run: the latest week that ended before <see cref="DemoContext.AsOf"/> (else the latest
    /// week), with its entries in the fair-draw input shape. The lottery part runs the draw from these.
    /// </summary>
    public static (string DrawId, IReadOnlyList<DrawEntry> Entries) WeeklyDraw(DemoContext demo)
    {
        var result = Replay(demo);
        var weekly = result.Draws.Select(d => d.DrawId).Where(d => d.StartsWith("weekly-", StringComparison.Ordinal)).ToList();
        if (weekly.Count == 0)
        {
            return ("weekly", []);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(demo.Services.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value.TimeZoneId);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(demo.AsOf, zone).DateTime);
        var ended = weekly.Where(d => DateOnly.TryParse(d["weekly-".Length..], System.Globalization.CultureInfo.InvariantCulture, out var monday) && monday.AddDays(7) <= today).ToList();
        var drawId = ended.Count > 0 ? ended[^1] : weekly[^1];
        return (drawId, result.EntriesFor(drawId));
    }
}

/// <summary>The fair-draw input file for a draw's entries.</summary>
internal static class RewardsDemoJson
{
    public static string Entries(string drawId, IReadOnlyList<DrawEntry> entries) =>
        System.Text.Json.JsonSerializer.Serialize(
            new { drawId, entries = entries.Select(e => new { id = e.Id, weight = e.Weight }) },
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
