using System.Globalization;
using System.Text.Json.Nodes;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Cli.Rewards;

/// <summary>The <c>rewards replay</c> report as JSON or tables, and the fair-draw entries file.</summary>
internal static class RewardsReport
{
    public static JsonObject ToJson(RewardReplayResult result, DateTimeOffset asOf, string zone, long duplicates)
    {
        var s = result.Statistics;
        return new JsonObject
        {
            ["asOf"] = EventLogWriter.FormatInstant(asOf),
            ["timeZone"] = zone,
            ["events"] = s.Events,
            ["duplicates"] = duplicates,
            ["statistics"] = new JsonObject
            {
                ["grants"] = s.Grants,
                ["reversals"] = s.Reversals,
                ["alreadyGranted"] = s.AlreadyGranted,
                ["budgetExhausted"] = s.BudgetExhausted,
                ["limitReached"] = s.LimitReached,
                ["ineligible"] = s.Ineligible,
                ["tooLate"] = s.TooLate,
            },
            ["rules"] = new JsonArray(result.Rules.Select(r => (JsonNode)new JsonObject
            {
                ["rule"] = r.RuleId,
                ["grants"] = r.Grants,
                ["reversals"] = r.Reversals,
                ["points"] = r.Points,
                ["tickets"] = r.Tickets,
                ["coupons"] = r.Coupons,
            }).ToArray()),
            ["kinds"] = new JsonObject
            {
                ["points"] = result.Rules.Sum(r => r.Points),
                ["tickets"] = result.Rules.Sum(r => r.Tickets),
                ["coupons"] = result.Rules.Sum(r => r.Coupons),
            },
            ["budgets"] = new JsonArray(result.Budgets.Select(b => (JsonNode)new JsonObject
            {
                ["budget"] = b.BudgetId,
                ["limit"] = b.Limit,
                ["used"] = b.Used,
                ["remaining"] = b.Remaining,
                ["currency"] = b.Currency,
            }).ToArray()),
            ["members"] = new JsonArray(result.Members.Select(m => (JsonNode)new JsonObject
            {
                ["member"] = m.Member,
                ["grants"] = m.Grants,
                ["points"] = m.Points,
                ["tickets"] = m.Tickets,
                ["coupons"] = m.Coupons,
            }).ToArray()),
            ["draws"] = new JsonArray(result.Draws.Select(d => (JsonNode)new JsonObject
            {
                ["drawId"] = d.DrawId,
                ["entries"] = d.Entries,
                ["tickets"] = d.Tickets,
            }).ToArray()),
        };
    }

    public static void WriteTable(TextWriter output, RewardReplayResult result, DateTimeOffset asOf, string zone, long duplicates)
    {
        var s = result.Statistics;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rewards as of {EventLogWriter.FormatInstant(asOf)} ({zone}): {s.Events:N0} events, {duplicates:N0} duplicates ignored"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"grants {s.Grants:N0}, reversals {s.Reversals:N0}, already granted {s.AlreadyGranted:N0}, budget exhausted {s.BudgetExhausted:N0}, limit reached {s.LimitReached:N0}, ineligible {s.Ineligible:N0}, too late {s.TooLate:N0}"));
        output.WriteLine();
        var rules = new List<string[]> { new[] { "rule", "grants", "reversals", "points", "tickets", "coupons" } };
        rules.AddRange(result.Rules.Select(r => new[] { r.RuleId, N(r.Grants), N(r.Reversals), N(r.Points), N(r.Tickets), N(r.Coupons) }));
        rules.Add(["(total)", N(result.Rules.Sum(r => r.Grants)), N(result.Rules.Sum(r => r.Reversals)), N(result.Rules.Sum(r => r.Points)), N(result.Rules.Sum(r => r.Tickets)), N(result.Rules.Sum(r => r.Coupons))]);
        CliOutput.WriteTable(output, rules);
        if (result.Budgets.Count > 0)
        {
            output.WriteLine();
            var budgets = new List<string[]> { new[] { "budget", "limit", "used", "remaining", "currency" } };
            budgets.AddRange(result.Budgets.Select(b => new[] { b.BudgetId, N(b.Limit), N(b.Used), N(b.Remaining), b.Currency ?? "(units)" }));
            CliOutput.WriteTable(output, budgets);
        }

        output.WriteLine();
        var draws = new List<string[]> { new[] { "draw", "entries", "tickets" } };
        draws.AddRange(result.Draws.Select(d => new[] { d.DrawId, N(d.Entries), N(d.Tickets) }));
        CliOutput.WriteTable(output, draws);
        output.WriteLine();
        var members = new List<string[]> { new[] { "member", "grants", "points", "tickets", "coupons" } };
        members.AddRange(result.Members.Select(m => new[] { m.Member, N(m.Grants), N(m.Points), N(m.Tickets), N(m.Coupons) }));
        CliOutput.WriteTable(output, members);
    }

    /// <summary>The fair-draw input shape: <c>{"drawId": ..., "entries": [{"id": ..., "weight": ...}]}</c>.</summary>
    public static JsonObject EntriesJson(string draw, IReadOnlyList<DrawEntry> entries) => new()
    {
        ["drawId"] = draw,
        ["entries"] = new JsonArray(entries.Select(e => (JsonNode)new JsonObject { ["id"] = e.Id, ["weight"] = e.Weight }).ToArray()),
    };

    /// <summary><c>DRAW.entries.json</c>, with characters a file name cannot hold replaced by <c>_</c>.</summary>
    public static string DefaultEntriesFileName(string draw)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(draw.Select(c => Array.IndexOf(invalid, c) >= 0 || c == '\\' ? '_' : c).ToArray()) + ".entries.json";
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
