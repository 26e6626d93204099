using System.Text;
using System.Text.Json.Nodes;
using CommunityFunnel.Lottery;

namespace CommunityFunnel.Cli.Tests;

/// <summary>
/// <c>campaign run</c> on a simulated month (300 members, November 2026, Asia/Shanghai) with the example campaign
/// (docs/examples/campaign.json): the draws, their proofs, the ledger and the actions, checked against each other
/// and against plain recomputations from the files.
/// </summary>
public sealed class CampaignCommandTests : IDisposable
{
    private const string Until = "2026-12-01T00:00:00+08:00";
    private const string Entropy = "fixed:0123456789abcdef";

    private static readonly string ExampleCampaign = Path.Combine(AppContext.BaseDirectory, "Data", "campaign.json");

    private readonly string _dir = Directory.CreateTempSubdirectory("cf-campaign-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>
    /// The simulated month, plus an approval (an hour later) of every suggestion form submitted: the simulator
    /// submits forms but never reviews them, and the campaign's approved-suggestion rule needs the review.
    /// </summary>
    private string Month()
    {
        var path = PathOf("month.jsonl");
        if (File.Exists(path))
        {
            return path;
        }

        var sim = CliRunner.Run("simulate", "--members", "300", "--days", "30", "--seed", "7", "--out", path);
        Assert.Equal(0, sim.ExitCode);
        var extra = new StringBuilder();
        var n = 0;
        foreach (var line in File.ReadLines(path))
        {
            var e = JsonNode.Parse(line)!;
            if ((string?)e["type"] == "task_submitted" && (string?)e["task"] == "suggestion-form")
            {
                var at = DateTimeOffset.Parse((string)e["at"]!, System.Globalization.CultureInfo.InvariantCulture).AddHours(1);
                extra.Append($$"""{"id":"review-{{n++}}","type":"task_approved","group":"{{e["group"]}}","member":"{{e["member"]}}","at":"{{at:yyyy-MM-ddTHH:mm:sszzz}}","by":"staff-1-1","task":"suggestion-form"}""").Append('\n');
            }
        }

        Assert.True(n >= 3, $"the simulated month has {n} suggestion forms");
        File.AppendAllText(path, extra.ToString());
        return path;
    }

    private CliResult Run(string outName, params string[] more) =>
        CliRunner.Run(["campaign", "run", "--events", Month(), "--campaign", ExampleCampaign, "--until", Until, "--out", PathOf(outName), .. more]);

    private static List<JsonNode> Jsonl(string path) => File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!).ToList();

    private static DrawProof ReadProof(string path)
    {
        using var stream = File.OpenRead(path);
        return FairDrawJson.ReadProof(stream);
    }

    [Fact]
    public void SimulatedMonth_OneDrawPerWeekAndOneFreeOrderDraw_EveryProofVerifiesWithDrawVerify()
    {
        var result = Run("out", "--entropy", Entropy, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var proofs = Directory.GetFiles(PathOf("out/draws")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        // Weeks closing Sunday 20:00 in November (the week of 2026-11-30 is still open at the end), and November's free-order draw.
        Assert.Equal(
            ["free-order-2026-11.proof.json", "weekly-2026-11-02.proof.json", "weekly-2026-11-09.proof.json", "weekly-2026-11-16.proof.json", "weekly-2026-11-23.proof.json"],
            proofs);
        foreach (var file in proofs)
        {
            var verify = CliRunner.Run("draw", "verify", PathOf("out/draws/" + file));
            Assert.Equal(0, verify.ExitCode);
            Assert.Equal("valid", verify.Out.Trim());
        }

        var summary = JsonNode.Parse(result.Out)!;
        var draws = summary["draws"]!.AsArray().ToDictionary(d => (string)d!["draw"]!, d => d!);
        Assert.Equal("open", (string)draws["weekly-2026-11-30"]["state"]!);
        Assert.Null(draws["weekly-2026-11-30"]["proof"]);
        Assert.Equal(5, (int)summary["totals"]!["drawn"]!);
        // 14 prizes a week when the week has at least 14 entrants, one free order.
        var weekly = ReadProof(PathOf("out/draws/weekly-2026-11-16.proof.json"));
        Assert.Equal(14, weekly.Winners.Count(w => w.Replaces is null));
        Assert.Equal(["first", "second", "third"], weekly.Prizes.Select(p => p.Tier));
        Assert.Single(ReadProof(PathOf("out/draws/free-order-2026-11.proof.json")).Prizes, p => p.Count == 1);
    }

    [Fact]
    public void EachDrawsEntries_AreTheLedgersNetTicketsForIt_GrantedBeforeItsClose()
    {
        Assert.Equal(0, Run("out", "--entropy", Entropy).ExitCode);
        var ledger = Jsonl(PathOf("out/ledger.jsonl"));

        // Plain reference: per draw and member, tickets of grants minus tickets of reversals.
        var net = new Dictionary<(string Draw, string Member), long>();
        foreach (var line in ledger.Where(l => (string)l["kind"]! == "tickets"))
        {
            var draw = (string)line["draw"]!;
            var key = (draw, (string)line["member"]!);
            var sign = line["reverses"] is null ? 1 : -1;
            net[key] = net.GetValueOrDefault(key) + (sign * (long)line["quantity"]!);
        }

        var proofFiles = Directory.GetFiles(PathOf("out/draws"));
        Assert.NotEmpty(proofFiles);
        foreach (var file in proofFiles)
        {
            var proof = ReadProof(file);
            var expected = net.Where(p => p.Key.Draw == proof.DrawId && p.Value > 0)
                .Select(p => new DrawEntry(p.Key.Member, p.Value))
                .OrderBy(e => Encoding.UTF8.GetBytes(e.Id), Utf8Order.Instance)
                .ToList();
            Assert.Equal(expected, proof.Entries);
        }

        // Tickets granted after a close were refused (a reversal with a reason), not silently dropped.
        var refusals = ledger.Where(l => l["refusal"] is not null).ToList();
        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.Equal("drawClosed", (string)r["refusal"]!));
        Assert.All(refusals, r => Assert.Contains(ledger, g => (string)g["key"]! == (string)r["reverses"]!));
    }

    [Fact]
    public void EveryCurrentWinner_HasExactlyOnePrizeLineWhoseSourceIsTheDraw_AndEveryPrizeAnAction()
    {
        Assert.Equal(0, Run("out", "--entropy", Entropy).ExitCode);
        var ledger = Jsonl(PathOf("out/ledger.jsonl"));
        var actions = Jsonl(PathOf("out/actions.jsonl"));
        foreach (var file in Directory.GetFiles(PathOf("out/draws")))
        {
            var proof = ReadProof(file);
            var winners = proof.Winners.GroupBy(w => (w.Tier, w.Slot)).Select(g => g.Last()).Where(w => w.Entry is not null).ToList();
            Assert.NotEmpty(winners);
            var prizeLines = ledger.Where(l => (string)l["source"]! == proof.DrawId && l["reverses"] is null).ToList();
            Assert.Equal(winners.Count, prizeLines.Count);
            foreach (var w in winners)
            {
                var line = Assert.Single(prizeLines, l => (string)l["member"]! == w.Entry);
                Assert.Contains((string)line["kind"]!, new[] { "prize", "coupon" });
                Assert.Null(line["draw"]);
                Assert.Single(actions, a => (string)a["kind"]! == "prize_won" && (string)a["draw"]! == proof.DrawId && (string)a["member"]! == w.Entry);
            }

            Assert.Contains(actions, a => (string)a["kind"]! == "draw_published" && (string)a["draw"]! == proof.DrawId);
            Assert.DoesNotContain(prizeLines, l => proof.Forfeited.Contains((string)l["member"]!));
        }

        // Every coupon prize and coupon grant got exactly one code, named in a coupon_issued action.
        var couponGrants = ledger.Where(l => (string)l["kind"]! == "coupon" && l["reverses"] is null).Select(l => (string)l["key"]!).ToList();
        var issued = actions.Where(a => (string)a["kind"]! == "coupon_issued").ToList();
        Assert.Equal(couponGrants.Order(StringComparer.Ordinal), issued.Select(a => (string)a["grant"]!).Order(StringComparer.Ordinal));
        Assert.Equal(issued.Count, issued.Select(a => (string)a["code"]!).Distinct(StringComparer.Ordinal).Count());
        // Actions are in time order.
        var times = actions.Select(a => DateTimeOffset.Parse((string)a["at"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);
    }

    [Fact]
    public void TheLedgerLines_CarryTheRequiredFields_AndTheApprovedSuggestionsGiveWeeklyTickets()
    {
        Assert.Equal(0, Run("out", "--entropy", Entropy).ExitCode);
        var ledger = Jsonl(PathOf("out/ledger.jsonl"));
        foreach (var line in ledger)
        {
            var o = line.AsObject();
            foreach (var field in new[] { "key", "member", "kind", "quantity", "draw", "source", "reverses" })
            {
                Assert.True(o.ContainsKey(field), $"{field} missing in {o.ToJsonString()}");
            }

            Assert.Contains((string)o["kind"]!, new[] { "tickets", "coupon", "points", "prize" });
            Assert.Equal((string)o["kind"]! == "tickets", o["draw"] is not null);
        }

        var suggestion = ledger.Where(l => (string)l["source"]! == "suggestion-weekly-ticket").ToList();
        Assert.NotEmpty(suggestion);
        Assert.All(suggestion, l => Assert.StartsWith("weekly-2026-", (string)l["draw"]!, StringComparison.Ordinal));
        Assert.Contains(ledger, l => (string)l["source"]! == "order-free-order-draw" && (string)l["draw"]! == "free-order-2026-11");
    }

    [Fact]
    public void TwoRuns_GiveTheSameBytesInEveryFile_InMemoryAndOnSqlite_AnotherSeedGivesOtherSeeds()
    {
        var a = Run("a", "--entropy", Entropy, "--seed", "42");
        var b = Run("b", "--entropy", Entropy, "--seed", "42");
        var sqlite = Run("c", "--entropy", Entropy, "--seed", "42", "--store", "sqlite:" + PathOf("rehearsal.db"));
        Assert.Equal(0, a.ExitCode);
        Assert.Equal(a.Out, b.Out);
        Assert.Equal(a.Out, sqlite.Out);
        var files = Directory.GetFiles(PathOf("a"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(PathOf("a"), f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(7, files.Count); // 5 proofs, ledger, actions
        foreach (var other in new[] { "b", "c" })
        {
            Assert.Equal(files, Directory.GetFiles(PathOf(other), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(PathOf(other), f)).Order(StringComparer.Ordinal));
            foreach (var f in files)
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(PathOf("a"), f)), File.ReadAllBytes(Path.Combine(PathOf(other), f)));
            }
        }

        Assert.True(File.Exists(PathOf("rehearsal.db")));
        var d = Run("d", "--entropy", Entropy, "--seed", "43");
        Assert.Equal(0, d.ExitCode);
        var proofA = ReadProof(PathOf("a/draws/weekly-2026-11-09.proof.json"));
        var proofD = ReadProof(PathOf("d/draws/weekly-2026-11-09.proof.json"));
        Assert.NotEqual(proofA.ServerSeed, proofD.ServerSeed);
        Assert.Equal(proofA.Entries, proofD.Entries); // the seed changes the draw, not who entered
    }

    [Fact]
    public void FixedEntropy_IsThePublicEntropyOfAPlainFairDrawV1Proof_AndTheSummarySaysTheOperatorChoseIt()
    {
        var result = Run("out", "--entropy", "fixed:cafe", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        foreach (var file in Directory.GetFiles(PathOf("out/draws")))
        {
            var proof = ReadProof(file);
            Assert.Equal("cafe", proof.PublicEntropy);
            Assert.Equal(DrawProof.CurrentVersion, proof.Version);
            Assert.Null(proof.Drand); // claims no beacon round
            Assert.True(FairDraw.Verify(proof).IsValid);
        }

        Assert.Contains("chosen by the operator", (string)JsonNode.Parse(result.Out)!["entropy"]!, StringComparison.Ordinal);
        var other = Run("other", "--entropy", "fixed:beef");
        Assert.Equal(0, other.ExitCode);
        Assert.NotEqual(
            ReadProof(PathOf("out/draws/weekly-2026-11-23.proof.json")).Winners,
            ReadProof(PathOf("other/draws/weekly-2026-11-23.proof.json")).Winners);
    }

    [Fact]
    public void UntilBeforeAnyClose_WritesNoProofs_ButTheTicketsAndTheOpenDraw()
    {
        var result = CliRunner.Run("campaign", "run", "--events", Month(), "--campaign", ExampleCampaign, "--until", "2026-11-08T19:59:59+08:00",
            "--out", PathOf("early"), "--entropy", Entropy, "--format", "json");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(Directory.GetFiles(PathOf("early/draws")));
        Assert.DoesNotContain(Jsonl(PathOf("early/actions.jsonl")), a => (string)a["kind"]! is "prize_won" or "draw_published");
        Assert.Contains(Jsonl(PathOf("early/ledger.jsonl")), l => (string?)l["draw"] == "weekly-2026-11-02");
        var summary = JsonNode.Parse(result.Out)!;
        Assert.Equal(0, (int)summary["totals"]!["drawn"]!);
        Assert.Equal("open", (string)summary["draws"]!.AsArray().Single(d => (string)d!["draw"]! == "weekly-2026-11-02")!["state"]!);

        // One second later the first week has closed and drawn.
        var closed = CliRunner.Run("campaign", "run", "--events", Month(), "--campaign", ExampleCampaign, "--until", "2026-11-08T20:00:00+08:00",
            "--out", PathOf("closed"), "--entropy", Entropy);
        Assert.Equal(0, closed.ExitCode);
        Assert.Equal(["weekly-2026-11-02.proof.json"], Directory.GetFiles(PathOf("closed/draws")).Select(Path.GetFileName));
    }

    [Fact]
    public void TheTableSummary_ShowsDrawsCouponsAndBudgetUsePerRule()
    {
        var result = Run("out", "--entropy", Entropy);

        Assert.Equal(0, result.ExitCode);
        foreach (var text in new[] { "draws 6 (5 drawn)", "weekly-2026-11-23", "free-order-2026-11", "coupons:", "codes issued", "checkin-weekly-ticket", "weekly-prizes", "spent" })
        {
            Assert.Contains(text, result.Out, StringComparison.Ordinal);
        }

        var json = JsonNode.Parse(Run("json", "--entropy", Entropy, "--format", "json").Out)!;
        var rules = json["rules"]!.AsArray().ToDictionary(r => (string)r!["rule"]!, r => r!);
        // Each weekly draw spends its 14 prizes (cost 1) from weekly-prizes; the budget's use is their sum.
        var weeks = rules.Where(r => r.Key.StartsWith("weekly-", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, weeks.Count);
        Assert.All(weeks, w => Assert.Equal(14, (long)w.Value["budgetSpent"]!));
        Assert.All(weeks, w => Assert.Equal(56, (long)w.Value["budgetUsed"]!));
        Assert.Equal(1, (long)rules["free-order-2026-11"]["budgetSpent"]!);
        Assert.Equal((long)json["coupons"]!["issued"]!, weeks.Sum(w => (long)w.Value["coupons"]!) + 1);
    }

    /// <summary>A valid rule, so that a bad file's only problem is the one under test.</summary>
    private const string PointsRule = """{"id":"p","trigger":{"kind":"checkin"},"rewards":[{"kind":"points"}]}""";

    [Theory]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly-{week}","prizes":[{"tier":"first","count":0,"reward":{"kind":"prize","prize":"x"}}]}]}""", "templates[w].prizes[0].count: must be a whole number from 1")]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly-{week}","closesAt":"8pm","prizes":[{"tier":"first","count":1,"reward":{"kind":"prize","prize":"x"}}]}]}""", "templates[w].closesAt: '8pm' is not a local time")]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly-{week}","colour":"red","prizes":[{"tier":"first","count":1,"reward":{"kind":"prize","prize":"x"}}]}]}""", "templates[w].colour: unknown field")]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly-{week}","closesOn":"sundy","prizes":[{"tier":"first","count":1,"reward":{"kind":"prize","prize":"x"}}]}]}""", "templates[w].closesOn: 'sundy' is not a weekday")]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly-{week}","prizes":[{"tier":"first","count":1,"reward":{"kind":"lipstick"}}]}]}""", "templates[w].prizes[0].reward.kind")]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly-{week}","prizes":[{"tier":"first","count":1,"reward":{"kind":"tickets","draw":"x"}}]}]}""", "templates[w].prizes[0].reward.kind: a prize is a coupon, points or a physical prize")]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly","prizes":[{"tier":"first","count":1,"reward":{"kind":"prize","prize":"x"}}]}]}""", "templates[w].drawIdPattern: must hold exactly one")]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly-{week}","claimPeriod":"3 days","prizes":[{"tier":"first","count":1,"reward":{"kind":"prize","prize":"x"}}]}]}""", "templates[w].claimPeriod: '3 days' is not a period")]
    [InlineData("""{"rules":[{"id":"c","trigger":{"kind":"checkin"},"rewards":[{"kind":"tickets","draw":"monthly-{month}"}]}],"templates":[]}""", "rule 'c' grants tickets for draw 'monthly-{month}', which no draw template matches")]
    [InlineData("""{"rules":[{"id":"c","trigger":{"kind":"chekin"},"rewards":[{"kind":"points"}]}],"templates":[]}""", "rules[c].trigger.kind")]
    [InlineData("""{"rules":[{Points}]}""", "templates: is required")]
    [InlineData("""{"rules":[{Points}],"templates":[],"draws":[]}""", "draws: unknown field")]
    [InlineData("""[1,2]""", "must hold a JSON object")]
    [InlineData("""{"rules":[{Points}],"templates":[{"id":"w","drawIdPattern":"weekly-{week}","budget":"nope","prizes":[{"tier":"first","count":1,"reward":{"kind":"prize","prize":"x"}}]}]}""", "templates[w].budget: no budget 'nope'")]
    public void ABadCampaignFile_FailsWithExit2_NamingThePathOfTheBadField(string campaign, string expected)
    {
        var file = PathOf("bad.json");
        File.WriteAllText(file, campaign.Replace("{Points}", PointsRule, StringComparison.Ordinal));
        var events = PathOf("empty.jsonl");
        File.WriteAllText(events, string.Empty);

        var result = CliRunner.Run("campaign", "run", "--events", events, "--campaign", file, "--until", Until, "--out", PathOf("out"), "--entropy", Entropy);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(PathOf("out")));
    }

    [Fact]
    public void ATemplateWithRegisteredEntropy_NeedsFixedEntropy_AndBadOptionsAreUsageErrors()
    {
        var noEntropy = Run("out");
        Assert.Equal(2, noEntropy.ExitCode);
        Assert.Contains("'weekly', 'free-order'", noEntropy.Err, StringComparison.Ordinal);
        Assert.Contains("--entropy fixed:HEX", noEntropy.Err, StringComparison.Ordinal);

        Assert.Contains("not hex", Run("out", "--entropy", "fixed:xyz").Err, StringComparison.Ordinal);
        Assert.Contains("is not fixed:HEX", Run("out", "--entropy", "drand").Err, StringComparison.Ordinal);
        File.WriteAllText(PathOf("taken.db"), "x");
        Assert.Contains("exists", Run("out", "--entropy", Entropy, "--store", "sqlite:" + PathOf("taken.db")).Err, StringComparison.Ordinal);
        Assert.Contains("missing required option --until", CliRunner.Run("campaign", "run", "--events", "e", "--campaign", "c", "--out", "o").Err, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.Run("campaign", "go").ExitCode);
        Assert.Contains("campaign run --events FILE --campaign FILE --until ISO --out DIR", CliRunner.Run("campaign", "run", "--help").Out, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplatesWithoutPublicEntropy_DrawWithEmptyEntropy_WithoutTheEntropyOption()
    {
        var campaign = File.ReadAllText(ExampleCampaign).Replace("\"entropy\": \"registered\"", "\"entropy\": \"none\"", StringComparison.Ordinal);
        var file = PathOf("none.json");
        File.WriteAllText(file, campaign);

        var result = CliRunner.Run("campaign", "run", "--events", Month(), "--campaign", file, "--until", Until, "--out", PathOf("out"));

        Assert.Equal(0, result.ExitCode);
        var proofs = Directory.GetFiles(PathOf("out/draws"));
        Assert.Equal(5, proofs.Length);
        Assert.All(proofs, p => Assert.Equal(string.Empty, ReadProof(p).PublicEntropy));
    }

    [Fact]
    public void WithAClaimPeriod_EveryWinnerStillInTheGroupClaimsAtOnce_AndGetsExactlyOnePrizeLine()
    {
        var campaign = File.ReadAllText(ExampleCampaign).Replace("\"budget\": \"weekly-prizes\",", "\"budget\": \"weekly-prizes\", \"claimPeriod\": \"3d\",", StringComparison.Ordinal);
        Assert.Contains("claimPeriod", campaign, StringComparison.Ordinal);
        var file = PathOf("claim.json");
        File.WriteAllText(file, campaign);

        var result = CliRunner.Run("campaign", "run", "--events", Month(), "--campaign", file, "--until", Until, "--out", PathOf("out"), "--entropy", Entropy);

        Assert.Equal(0, result.ExitCode);
        var ledger = Jsonl(PathOf("out/ledger.jsonl"));
        var actions = Jsonl(PathOf("out/actions.jsonl"));
        var proof = ReadProof(PathOf("out/draws/weekly-2026-11-16.proof.json"));
        var winners = proof.Winners.GroupBy(w => (w.Tier, w.Slot)).Select(g => g.Last()).Where(w => w.Entry is not null).ToList();
        Assert.Equal(winners.Count, ledger.Count(l => (string)l["source"]! == proof.DrawId));
        foreach (var w in winners)
        {
            Assert.Single(ledger, l => (string)l["source"]! == proof.DrawId && (string)l["member"]! == w.Entry);
            var told = actions.Where(a => (string)a["kind"]! == "prize_won" && (string)a["draw"]! == proof.DrawId && (string)a["member"]! == w.Entry).ToList();
            Assert.Equal(2, told.Count); // "you won, claim by ..." then the grant of the claim
            // Three days after the scheduled close (Sunday 22 November, 20:00 local).
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)told[0]["claimBy"]!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Null(told[0]["grant"]);
            Assert.NotNull(told[1]["grant"]);
        }
    }

    [Fact]
    public void DueInstants_AreEachWeeksOpenAndClose_InTheCommunitysZone_AndTheClaimDeadlines()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var weekly = new CommunityFunnel.Campaigns.DrawTemplate
        {
            Id = "w",
            DrawIdPattern = "weekly-{week}",
            OpensOn = DayOfWeek.Monday,
            ClosesOn = DayOfWeek.Sunday,
            ClosesAt = new TimeOnly(20, 0),
            Prizes = [new("first", 1, new CommunityFunnel.Rewards.RewardSpec { Kind = CommunityFunnel.Rewards.RewardKind.Prize, Prize = "x" })],
        };
        var start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8));
        var until = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.FromHours(8));

        var due = Campaigns.CampaignRehearsal.DueInstants([weekly], zone, start, until);

        DateTimeOffset Z(int day, int hour) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);
        // Monday 00:00 local is Sunday 16:00Z; Sunday 20:00 local is 12:00Z. The start itself counts, --until does not.
        Assert.Equal([Z(1, 16), Z(8, 12), Z(8, 16), Z(15, 12)], due);

        var claim = Campaigns.CampaignRehearsal.DueInstants([weekly with { ClaimPeriod = TimeSpan.FromDays(2) }], zone, start, until);
        // One deadline per possible replacement (one slot: the winner's and one replacement's), also of the week that
        // closed on 1 November, before the start; the week closing on the 15th has its deadlines after --until.
        Assert.Equal([Z(1, 16), Z(3, 12), Z(5, 12), Z(8, 12), Z(8, 16), Z(10, 12), Z(12, 12), Z(15, 12)], claim);
    }

    private sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
