using CommunityFunnel.Cli.Rewards;
using CommunityFunnel.Events;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel rewards</c>: replay reward rules over an event log: grants, budgets, tickets per draw.</summary>
internal sealed class RewardsCommand : ICliCommand
{
    public string Name => "rewards";

    public string Summary => "replay reward rules over an event log: grants, budgets, tickets per draw";

    public string Usage => """
        Usage: community-funnel rewards replay --events FILE --rules FILE --as-of ISO [--format json|table]
                                               [--entries-for DRAW [--entries-out FILE]]
                                               [--code-seed N] [--codes-out FILE]
                                               [--memory-mb N] [--temp-dir DIR]

        Replays the events before --as-of through the rules file in event-time order (instant, then id) and reports
        grants per rule and reward kind, budget use, per-member totals and tickets per draw.

          --events FILE       event log (event-log/v1 JSON Lines)
          --rules FILE        rules file (see docs/rewards.md; docs/examples/rewards-rules.json holds the presets)
          --as-of ISO         only events before this instant, e.g. 2026-12-01T00:00:00+08:00
          --format json|table report format (default json)
          --entries-for DRAW  also write DRAW's entries in the fair-draw input shape
                              {"drawId": DRAW, "entries": [{"id": member, "weight": tickets}, ...]}, sorted by id
          --entries-out FILE  where to write them (default DRAW.entries.json in the current directory)
          --code-seed N       seed of the coupon codes the replay issues, one per coupon grant (default 1): the
                              same log, rules and seed give the same codes; a live host issues from a secure RNG
          --codes-out FILE    also write the codes as JSON Lines: code, member, rule, grant, issuedAt, expiresAt
          --memory-mb N       memory for putting the events in time order, in MiB (default 256, about a million
                              events). Events are replayed as they leave it; a log further out of order than
                              that is replayed again from the start, sorted in runs spilled to temporary files
                              and merged
          --temp-dir DIR      an existing folder for those runs (default: the system's temp folder); they are
                              deleted when the replay ends

        The report's coupons section counts the codes issued and the order events (with a "coupon" field) before
        --as-of that redeemed one of them, per rule: redemption rate, orders, revenue.

        Exit codes: 0 ok, 1 the draw given to --entries-for has no entries, 2 bad usage or input.

        """;

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        var a = CliArguments.Parse(args);
        if (a.Positional.Count == 0 || a.Positional[0] != "replay")
        {
            throw new CliUsageException(a.Positional.Count == 0 ? "missing subcommand: replay" : $"unknown subcommand '{a.Positional[0]}' (only 'replay')");
        }

        var eventsPath = a.Required("events");
        var rulesPath = a.Required("rules");
        var asOf = a.RequiredInstant("as-of");
        var table = CliOutput.WantsTable(a);
        var draw = a.Optional("entries-for");
        var entriesOut = a.Optional("entries-out");
        var codeSeed = (int)(a.OptionalInt64("code-seed", int.MinValue, int.MaxValue) ?? 1);
        var codesOut = a.Optional("codes-out");
        var ordering = CliEventLog.OrderOptions(a);
        a.EnsureAllConsumed(positionalAllowed: 1);
        if (entriesOut is not null && draw is null)
        {
            throw new CliUsageException("--entries-out needs --entries-for DRAW");
        }

        if (draw is { Length: 0 })
        {
            throw new CliUsageException("--entries-for: the draw id must not be empty");
        }

        if (!File.Exists(rulesPath))
        {
            throw new CliUsageException($"--rules: no such file '{rulesPath}'");
        }

        var rules = RewardRuleSet.Parse(File.ReadAllText(rulesPath));
        var zone = rules.TimeZone ?? "Asia/Shanghai";
        var couponOrders = new List<CommunityEvent>();

        // Opened again (from nothing) only when the log is further out of order than the ordering's buffer.
        IEnumerable<CommunityEvent> Open()
        {
            couponOrders.Clear();
            // The replay drops repeated ids itself (the first seen counts), so the reader need not check them too.
            var events = CliEventLog.Read(eventsPath, context, out _, ignoreDuplicates: false);
            return CouponConversionOutput.KeepingCouponOrders(events, couponOrders);
        }

        var result = RewardReplay.RunStreaming(Open, rules, asOf, zone, ordering);
        CliEventLog.ReportOrdering(context, "rewards", result.Ordering);
        var duplicates = result.Duplicates;
        var coupons = ReplayCoupons.Issue(result, couponOrders, asOf, codeSeed);

        if (table)
        {
            RewardsReport.WriteTable(context.Out, result, asOf, zone, duplicates);
            context.Out.WriteLine();
            CouponConversionOutput.WriteTable(context.Out, coupons.Conversion);
        }
        else
        {
            var json = RewardsReport.ToJson(result, asOf, zone, duplicates);
            json["coupons"] = CouponConversionOutput.ToJson(coupons.Conversion);
            CliOutput.WriteJson(context.Out, json);
        }

        if (codesOut is not null)
        {
            using var file = new StreamWriter(codesOut, append: false, new System.Text.UTF8Encoding(false));
            coupons.WriteCodes(file);
            context.Err.WriteLine($"community-funnel rewards: wrote {coupons.Coupons.Count} coupon codes to {codesOut}");
        }

        if (draw is null)
        {
            return CliApp.Success;
        }

        var entries = result.EntriesFor(draw);
        if (entries.Count == 0)
        {
            context.Err.WriteLine($"community-funnel rewards: draw '{draw}' has no entries; no entries file written");
            return CliApp.NegativeFinding;
        }

        var path = entriesOut ?? RewardsReport.DefaultEntriesFileName(draw);
        File.WriteAllText(path, RewardsReport.EntriesJson(draw, entries).ToJsonString(CliOutput.Json) + Environment.NewLine);
        context.Err.WriteLine($"community-funnel rewards: wrote {entries.Count} entries ({entries.Sum(e => e.Weight)} tickets) of draw '{draw}' to {path}");
        return CliApp.Success;
    }
}
