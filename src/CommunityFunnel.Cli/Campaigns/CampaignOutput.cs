using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommunityFunnel.Campaigns;
using CommunityFunnel.Cli.Rewards;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Cli.Campaigns;

/// <summary>The files and the summary of <c>campaign run</c>: the same result always gives the same bytes.</summary>
internal static class CampaignOutput
{
    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>The proof file of a draw, relative to the output directory: <c>draws/&lt;drawId&gt;.proof.json</c>.</summary>
    public static string ProofPath(string drawId)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return "draws/" + new string(drawId.Select(c => Array.IndexOf(invalid, c) >= 0 || c == '\\' ? '_' : c).ToArray()) + ".proof.json";
    }

    /// <summary>Writes <c>draws/*.proof.json</c>, <c>ledger.jsonl</c> and <c>actions.jsonl</c> under <paramref name="dir"/>; returns the proofs written.</summary>
    public static int WriteFiles(string dir, RehearsalResult result)
    {
        Directory.CreateDirectory(Path.Combine(dir, "draws"));
        var proofs = 0;
        foreach (var d in result.Draws)
        {
            if (d.Record?.Proof is { } proof)
            {
                using var file = File.Create(Path.Combine(dir, ProofPath(d.DrawId)));
                FairDrawJson.WriteProof(file, proof);
                file.WriteByte((byte)'\n');
                proofs++;
            }
        }

        using (var ledger = new StreamWriter(Path.Combine(dir, "ledger.jsonl"), append: false, Utf8))
        {
            foreach (var entry in result.Ledger.Ledger)
            {
                foreach (var line in LedgerLines(entry))
                {
                    ledger.Write(line.ToJsonString(CliOutputCompact));
                    ledger.Write('\n');
                }
            }
        }

        using (var actions = new StreamWriter(Path.Combine(dir, "actions.jsonl"), append: false, Utf8))
        {
            foreach (var action in result.Actions)
            {
                actions.Write(ActionJson(action).ToJsonString(CliOutputCompact));
                actions.Write('\n');
            }
        }

        return proofs;
    }

    private static readonly JsonSerializerOptions CliOutputCompact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// One object per reward of a ledger entry (almost always one): <c>key</c>, <c>member</c>, <c>kind</c>,
    /// <c>quantity</c>, <c>draw</c>, <c>source</c>, <c>reverses</c>, then <c>at</c>, <c>event</c>, <c>refusal</c>, and
    /// <c>prize</c> or <c>coupon</c> where they apply. A reversal repeats the reversed grant's reward with its
    /// quantity (positive) and names the grant in <c>reverses</c>.
    /// </summary>
    internal static IEnumerable<JsonObject> LedgerLines(RewardLedgerEntry entry)
    {
        foreach (var reward in entry.Rewards)
        {
            var line = new JsonObject
            {
                ["key"] = entry.Key,
                ["member"] = entry.Member,
                ["kind"] = Kind(reward.Kind),
                ["quantity"] = reward.Quantity,
                ["draw"] = reward.Kind == RewardKind.Tickets ? reward.Draw : null,
                ["source"] = entry.RuleId,
                ["reverses"] = entry.Reverses,
                ["at"] = EventLogWriter.FormatInstant(entry.At),
                ["event"] = entry.EventId,
                ["refusal"] = entry.Refusal is { } r ? JsonNamingPolicy.CamelCase.ConvertName(r.ToString()) : null,
            };
            if (reward.Prize is not null)
            {
                line["prize"] = reward.Prize;
            }

            if (reward.Coupon is { } c)
            {
                line["coupon"] = JsonSerializer.SerializeToNode(c, RewardJson);
            }

            yield return line;
        }
    }

    private static readonly JsonSerializerOptions RewardJson = CreateRewardJson();

    private static JsonSerializerOptions CreateRewardJson()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        return o;
    }

    private static string Kind(RewardKind kind) => kind switch
    {
        RewardKind.Tickets => "tickets",
        RewardKind.Coupon => "coupon",
        RewardKind.Points => "points",
        _ => "prize",
    };

    /// <summary>
    /// <c>kind</c> (<c>prize_won</c>, <c>draw_published</c>, <c>coupon_issued</c>), <c>at</c>, then per kind:
    /// draw, member, tier, slot, reward, grant, code, claimBy; the published proof by its file and entries root.
    /// </summary>
    internal static JsonObject ActionJson(RehearsalAction action)
    {
        var o = new JsonObject { ["kind"] = action.Kind, ["at"] = EventLogWriter.FormatInstant(action.At) };
        if (action.Campaign is { } a)
        {
            o["draw"] = a.DrawId;
            if (a.Kind == CampaignActionKind.PrizeWon)
            {
                o["member"] = a.Member;
                o["tier"] = a.Tier;
                o["slot"] = a.Slot;
                o["reward"] = a.Reward is { } r ? JsonSerializer.SerializeToNode(r, RewardJson) : null;
                o["grant"] = a.GrantKey;
                o["code"] = a.CouponCode;
                o["claimBy"] = a.ClaimBy is { } by ? EventLogWriter.FormatInstant(by) : null;
            }
            else if (a.Proof is { } p)
            {
                o["proof"] = ProofPath(a.DrawId);
                o["entriesRoot"] = p.EntriesRoot;
                o["winners"] = p.Winners.Count;
                o["forfeited"] = p.Forfeited.Count;
                o["publicEntropy"] = p.PublicEntropy;
            }
        }
        else if (action.Coupon is { } c)
        {
            o["member"] = c.Member;
            o["source"] = c.RuleId;
            o["grant"] = c.GrantKey;
            o["code"] = c.Code;
            o["expiresAt"] = c.ExpiresAt is { } x ? EventLogWriter.FormatInstant(x) : null;
        }

        return o;
    }

    /// <summary>The stdout summary as JSON.</summary>
    public static JsonObject Summary(RehearsalResult result, CampaignFile campaign, DateTimeOffset until, int seed, FixedEntropy? entropy)
    {
        var draws = new JsonArray();
        foreach (var d in result.Draws)
        {
            draws.Add(new JsonObject
            {
                ["draw"] = d.DrawId,
                ["template"] = d.TemplateId,
                ["state"] = d.Record is null ? "notCreated" : JsonNamingPolicy.CamelCase.ConvertName(d.Record.State.ToString()),
                ["entries"] = d.Entries.Count,
                ["tickets"] = d.Entries.Sum(e => e.Weight),
                ["winners"] = CurrentWinners(d).Count,
                ["forfeited"] = d.Record?.Proof?.Forfeited.Count ?? 0,
                ["proof"] = d.Record?.Proof is null ? null : ProofPath(d.DrawId),
            });
        }

        var rules = new JsonArray();
        foreach (var r in RuleTotals(result.Ledger.Ledger, campaign))
        {
            rules.Add(new JsonObject
            {
                ["rule"] = r.Rule,
                ["grants"] = r.Grants,
                ["reversals"] = r.Reversals,
                ["tickets"] = r.Tickets,
                ["coupons"] = r.Coupons,
                ["points"] = r.Points,
                ["prizes"] = r.Prizes,
                ["budget"] = r.Budget,
                ["budgetSpent"] = r.Budget is null ? null : r.Spent,
                ["budgetUsed"] = r.Budget is null ? null : result.Ledger.Budgets.FirstOrDefault(b => b.BudgetId == r.Budget)?.Used,
                ["budgetLimit"] = r.Budget is null ? null : campaign.Rules.Budgets.FirstOrDefault(b => b.Id == r.Budget)?.Limit,
            });
        }

        return new JsonObject
        {
            ["until"] = EventLogWriter.FormatInstant(until),
            ["timeZone"] = campaign.TimeZoneId,
            ["seed"] = seed,
            ["entropy"] = EntropyText(entropy),
            ["events"] = result.Events,
            ["totals"] = new JsonObject
            {
                ["draws"] = result.Draws.Count(d => d.Record is not null),
                ["drawn"] = result.Draws.Count(d => d.Record?.Proof is not null),
                ["entries"] = result.Draws.Sum(d => d.Entries.Count),
                ["tickets"] = result.Draws.Sum(d => d.Entries.Sum(e => e.Weight)),
                ["winners"] = result.Draws.Sum(d => CurrentWinners(d).Count),
                ["forfeited"] = result.Forfeited,
                ["refusedTickets"] = result.Refused,
                ["actions"] = result.Actions.Count,
            },
            ["draws"] = draws,
            ["coupons"] = CouponConversionOutput.ToJson(result.Conversion),
            ["rules"] = rules,
        };
    }

    public static void WriteTable(TextWriter output, JsonObject summary)
    {
        var totals = summary["totals"]!.AsObject();
        output.WriteLine($"Campaign rehearsal until {summary["until"]} ({summary["timeZone"]}): {summary["events"]} events, seed {summary["seed"]}, entropy {summary["entropy"]}");
        output.WriteLine($"draws {totals["draws"]} ({totals["drawn"]} drawn), entries {totals["entries"]}, tickets {totals["tickets"]}, winners {totals["winners"]}, forfeited {totals["forfeited"]}, tickets refused after a close {totals["refusedTickets"]}");
        output.WriteLine();
        var draws = new List<string[]> { new[] { "draw", "template", "state", "entries", "tickets", "winners", "proof" } };
        foreach (var d in summary["draws"]!.AsArray())
        {
            draws.Add([S(d!["draw"]), S(d["template"]), S(d["state"]), S(d["entries"]), S(d["tickets"]), S(d["winners"]), S(d["proof"])]);
        }

        CliOutput.WriteTable(output, draws);
        output.WriteLine();
        var c = summary["coupons"]!;
        output.WriteLine($"coupons: {c["issued"]} codes issued, {c["redeemed"]} redeemed by {c["orders"]} orders, {c["unknownCodeOrders"]} orders with an unknown code");
        output.WriteLine();
        var rules = new List<string[]> { new[] { "rule", "grants", "reversals", "tickets", "coupons", "points", "prizes", "budget", "spent", "used", "limit" } };
        foreach (var r in summary["rules"]!.AsArray())
        {
            rules.Add([S(r!["rule"]), S(r["grants"]), S(r["reversals"]), S(r["tickets"]), S(r["coupons"]), S(r["points"]), S(r["prizes"]), S(r["budget"]), S(r["budgetSpent"]), S(r["budgetUsed"]), S(r["budgetLimit"])]);
        }

        CliOutput.WriteTable(output, rules);
    }

    /// <summary>How the summary names the entropy: honest about bytes the operator chose.</summary>
    public static string EntropyText(FixedEntropy? entropy) =>
        entropy is null ? "none (templates with \"entropy\": \"none\")" : $"fixed:{Convert.ToHexStringLower(entropy.Bytes)} (chosen by the operator, not public: a rehearsal)";

    private static string S(JsonNode? node) => node is null ? "-" : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();

    /// <summary>Each filled slot's current winner (the last selection recorded for it).</summary>
    internal static List<DrawWinner> CurrentWinners(RehearsalDraw draw)
    {
        if (draw.Record?.Proof is not { } proof)
        {
            return [];
        }

        var bySlot = new Dictionary<(string, int), DrawWinner>();
        var order = new List<(string, int)>();
        foreach (var w in proof.Winners)
        {
            if (!bySlot.ContainsKey((w.Tier, w.Slot)))
            {
                order.Add((w.Tier, w.Slot));
            }

            bySlot[(w.Tier, w.Slot)] = w;
        }

        return order.Select(k => bySlot[k]).Where(w => w.Entry is not null).ToList();
    }

    /// <summary>
    /// Per rule (and per draw, for its prizes), net of reversals: grants, reversals, tickets, coupons, points,
    /// physical prizes, and what it spent from its budget (the budget counters of its grants not reversed).
    /// </summary>
    internal static List<RuleTotal> RuleTotals(IReadOnlyList<RewardLedgerEntry> ledger, CampaignFile campaign)
    {
        var byRule = new Dictionary<string, RuleTotal>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var rule in campaign.Rules.Rules)
        {
            byRule[rule.Id] = new RuleTotal(rule.Id, rule.Budget);
            order.Add(rule.Id);
        }

        var grants = new Dictionary<string, RewardLedgerEntry>(StringComparer.Ordinal);
        foreach (var entry in ledger)
        {
            if (!byRule.TryGetValue(entry.RuleId, out var total))
            {
                var budget = campaign.Templates.FirstOrDefault(t => t.FindsDraw(entry.RuleId))?.Budget;
                byRule[entry.RuleId] = total = new RuleTotal(entry.RuleId, budget);
                order.Add(entry.RuleId);
            }

            var sign = 1;
            var counted = entry;
            if (entry.Kind == RewardEntryKind.Grant)
            {
                total.Grants++;
                grants[entry.Key] = entry;
            }
            else
            {
                total.Reversals++;
                sign = -1;
                if (entry.Reverses is { } reversed && grants.TryGetValue(reversed, out var grant))
                {
                    counted = grant;
                }
            }

            foreach (var r in entry.Rewards)
            {
                var n = checked(sign * r.Quantity);
                switch (r.Kind)
                {
                    case RewardKind.Points: total.Points = checked(total.Points + n); break;
                    case RewardKind.Tickets: total.Tickets = checked(total.Tickets + n); break;
                    case RewardKind.Coupon: total.Coupons = checked(total.Coupons + n); break;
                    default: total.Prizes = checked(total.Prizes + n); break;
                }
            }

            if (total.Budget is { } b)
            {
                foreach (var c in counted.Counters)
                {
                    if (c.IsBudget && c.Key == "budget|" + b)
                    {
                        total.Spent = checked(total.Spent + (sign * c.Amount));
                    }
                }
            }
        }

        return order.Select(id => byRule[id]).ToList();
    }

    internal sealed class RuleTotal(string rule, string? budget)
    {
        public string Rule { get; } = rule;

        public string? Budget { get; } = budget;

        public long Grants { get; set; }

        public long Reversals { get; set; }

        public long Tickets { get; set; }

        public long Coupons { get; set; }

        public long Points { get; set; }

        public long Prizes { get; set; }

        public long Spent { get; set; }
    }

    private static bool FindsDraw(this DrawTemplate template, string drawId) => DrawIdPlaceholders.TryMatch(template.DrawIdPattern, drawId, out _);

    internal static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
