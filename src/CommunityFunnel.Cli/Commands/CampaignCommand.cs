using CommunityFunnel.Cli.Campaigns;

namespace CommunityFunnel.Cli.Commands;

/// <summary><c>community-funnel campaign run</c>: rehearse a campaign (reward rules and draw templates) on a past event log.</summary>
internal sealed class CampaignCommand : ICliCommand
{
    public string Name => "campaign";

    public string Summary => "rehearse a campaign (rules, draw templates, coupons) on a past event log";

    public string Usage => """
        Usage: community-funnel campaign run --events FILE --campaign FILE --until ISO --out DIR
                                             [--store sqlite:FILE] [--seed N] [--entropy fixed:HEX] [--format table|json]

        Replays the events before --until through the campaign on a virtual clock, as a host would run it live:
        events in event-time order (instant, then id) into the reward rules; at each instant a draw instance opens
        or closes (or a claim deadline passes), and at --until, the draw campaign advances: tickets enter their
        draw, due draws close, draw and grant their prizes through the ledger, coupon prizes get codes.

          --events FILE       event log (event-log/v1 JSON Lines)
          --campaign FILE     campaign file: rules (as a rules file) plus "templates" (docs/examples/campaign.json)
          --until ISO         the virtual clock stops here, e.g. 2026-12-01T00:00:00+08:00
          --out DIR           writes DIR/draws/<drawId>.proof.json (each draw drawn before --until, for
                              'draw verify'), DIR/ledger.jsonl (one object per ledger line) and DIR/actions.jsonl
                              (prize_won, draw_published, coupon_issued, in order)
          --store sqlite:FILE run on a new SQLite file (UseSqliteStores) instead of in memory; FILE must not exist
          --seed N            seed of the draws' server seeds and the coupon codes, 0 to 2147483647 (default 1):
                              the same inputs, seed and entropy give the same bytes in every file
          --entropy fixed:HEX public entropy of every draw whose template says "entropy": "registered" (the host's
                              beacon, which a rehearsal cannot fetch); required when there is such a template.
                              The proofs stay plain fair-draw/v1 with these bytes as publicEntropy, and the summary
                              says they were chosen by the operator
          --format table|json summary on standard output (default table)

        Exit codes: 0 done, 2 bad usage or input (a bad campaign file names every bad field by its path).

        """;

    public int Run(IReadOnlyList<string> args, CliContext context)
    {
        var a = CliArguments.Parse(args);
        if (a.Positional.Count == 0 || a.Positional[0] != "run")
        {
            throw new CliUsageException(a.Positional.Count == 0 ? "missing subcommand: run" : $"unknown subcommand '{a.Positional[0]}' (only 'run')");
        }

        var eventsPath = a.Required("events");
        var campaignPath = a.Required("campaign");
        var until = a.RequiredInstant("until");
        var outDir = a.Required("out");
        var store = a.Optional("store");
        var seed = (int)(a.OptionalInt64("seed", 0, int.MaxValue) ?? 1);
        var entropyText = a.Optional("entropy");
        var json = a.OptionalChoice("format", "table", "json") == "json";
        a.EnsureAllConsumed(positionalAllowed: 1);

        if (!File.Exists(campaignPath))
        {
            throw new CliUsageException($"--campaign: no such file '{campaignPath}'");
        }

        string? sqliteFile = null;
        if (store is not null)
        {
            if (!store.StartsWith("sqlite:", StringComparison.Ordinal) || store.Length == "sqlite:".Length)
            {
                throw new CliUsageException($"--store: only sqlite:FILE is supported, not '{store}'");
            }

            sqliteFile = store["sqlite:".Length..];
            if (File.Exists(sqliteFile))
            {
                throw new CliUsageException($"--store: '{sqliteFile}' exists; a rehearsal writes a new store (remove it, or name another file)");
            }
        }

        var entropy = entropyText is null ? null : FixedEntropy.Parse(entropyText);
        var campaign = CampaignFile.Parse(File.ReadAllText(campaignPath));
        var events = CliEventLog.Read(eventsPath, context, out _);
        var result = CampaignRehearsal.RunAsync(campaign, events, until, sqliteFile, seed, entropy).GetAwaiter().GetResult();
        var proofs = CampaignOutput.WriteFiles(outDir, result);
        var summary = CampaignOutput.Summary(result, campaign, until, seed, entropy);
        if (json)
        {
            CliOutput.WriteJson(context.Out, summary);
        }
        else
        {
            CampaignOutput.WriteTable(context.Out, summary);
        }

        context.Err.WriteLine($"community-funnel campaign: wrote {proofs} proofs, {result.Ledger.Ledger.Count} ledger entries and {result.Actions.Count} actions to {outDir}");
        return CliApp.Success;
    }
}
