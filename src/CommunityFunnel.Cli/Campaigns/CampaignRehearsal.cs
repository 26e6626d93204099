using System.Security.Cryptography;
using System.Text;
using CommunityFunnel.Campaigns;
using CommunityFunnel.DependencyInjection;
using CommunityFunnel.Events;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Cli.Campaigns;

/// <summary>
/// <c>campaign run</c>: a campaign replayed on a past log, through the host's own services (reward engine, ledger,
/// <see cref="IDrawCampaign"/>, coupons, draws), on a <see cref="VirtualClock"/>. Events go in event-time order
/// (instant, then id) into the rules; before the first event at or after a due instant (an instance opening or
/// closing, a claim deadline), and at the end at <c>--until</c>, the clock stops at that instant and the campaign
/// advances. Deterministic: the server seeds come from <c>--seed</c> and the draw id, the coupon codes from
/// <c>--seed</c>, the public entropy from <c>--entropy</c>.
/// </summary>
internal static class CampaignRehearsal
{
    /// <summary>The server seed of <paramref name="drawId"/> in a rehearsal with <paramref name="seed"/>: SHA-256 of <c>community-funnel campaign run|seed|drawId</c>.</summary>
    public static void Seed(long seed, string drawId, Span<byte> destination)
    {
        var text = Encoding.UTF8.GetBytes($"community-funnel campaign run|{seed.ToString(System.Globalization.CultureInfo.InvariantCulture)}|{drawId}");
        SHA256.HashData(text, destination);
    }

    public static async Task<RehearsalResult> RunAsync(
        CampaignFile campaign,
        IEnumerable<CommunityEvent> events,
        DateTimeOffset until,
        string? sqliteFile,
        int seed,
        FixedEntropy? entropy,
        CancellationToken cancellationToken = default)
    {
        var needEntropy = campaign.Templates.Where(t => t.Entropy == DrawEntropy.Registered).Select(t => t.Id).ToList();
        if (entropy is null && needEntropy.Count > 0)
        {
            throw new CliUsageException(
                $"template(s) {string.Join(", ", needEntropy.Select(t => $"'{t}'"))} take their public entropy from the host's beacon (\"entropy\": \"registered\"), which a rehearsal cannot fetch: pass --entropy fixed:HEX, or set \"entropy\": \"none\"");
        }

        var couponOrders = new List<CommunityEvent>();
        var ordered = new List<CommunityEvent>();
        foreach (var e in events)
        {
            if (e.AtUtcTicks < until.UtcTicks)
            {
                ordered.Add(e);
                if (e.Type == EventType.Order && e.CouponCode is not null)
                {
                    couponOrders.Add(e);
                }
            }
        }

        ordered.Sort(static (a, b) => a.AtUtcTicks != b.AtUtcTicks ? a.AtUtcTicks.CompareTo(b.AtUtcTicks) : string.CompareOrdinal(a.Id, b.Id));
        var zone = TimeZones.Find(campaign.TimeZoneId, "timeZone");
        var start = ordered.Count > 0 ? ordered[0].At : until;
        var clock = new VirtualClock(start);
        var due = DueInstants(campaign.Templates, zone, start, until);

        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<DrawSeedSource>((drawId, bytes) => Seed(seed, drawId, bytes));
        // Registered before AddCommunityFunnel, whose defaults are TryAdd: seeded codes instead of the secure RNG.
        services.AddSingleton<ICouponService>(sp =>
        {
            var options = new CouponsOptions(); // the default code pattern, as rewards replay issues them
            return new CouponService(sp.GetStore<ICouponStore>(), options, clock, new CouponCodeGenerator(options.Codes, seed));
        });
        var builder = services.AddCommunityFunnel(o => o.TimeZoneId = campaign.TimeZoneId);
        if (sqliteFile is null)
        {
            builder.UseInMemoryStores();
        }
        else
        {
            builder.UseSqliteStores($"Data Source={sqliteFile}");
        }

        if (entropy is not null)
        {
            builder.UsePublicEntropySource(entropy);
        }

        builder.AddRewardRules(campaign.Rules).AddDrawTemplates([.. campaign.Templates]);
        await using var provider = services.BuildServiceProvider();
        // The templates and rules were validated with the file (DrawTemplateValidator.Check, as the host's start does).
        var engine = provider.GetRequiredService<IRewardEngine>();
        var ledger = provider.GetRequiredService<IRewardLedger>();
        var drawCampaign = provider.GetRequiredService<IDrawCampaign>();
        var coupons = provider.GetRequiredService<ICouponService>();
        var run = new RunState();

        var next = 0;
        foreach (var e in ordered)
        {
            while (next < due.Count && due[next] <= e.At)
            {
                await TickAsync(due[next++]).ConfigureAwait(false);
            }

            clock.AdvanceTo(e.At);
            await engine.ProcessAsync(e, cancellationToken).ConfigureAwait(false);
        }

        while (next < due.Count && due[next] < until)
        {
            await TickAsync(due[next++]).ConfigureAwait(false);
        }

        await TickAsync(until).ConfigureAwait(false);

        var result = await RewardReplayResult.ReadAsync(campaign.Rules, ledger, engine.Statistics, 0, new CommunityFunnel.Events.EventOrderStatistics(), cancellationToken).ConfigureAwait(false);
        var draws = new List<RehearsalDraw>();
        var store = provider.GetRequiredService<IDrawStore>();
        var service = provider.GetRequiredService<IDrawService>();
        foreach (var drawId in RewardDraws.DrawIds(result.Ledger))
        {
            var template = drawCampaign.FindTemplate(drawId);
            var record = await service.GetAsync(drawId, cancellationToken).ConfigureAwait(false);
            var entries = record is null ? [] : await store.GetEntriesAsync(drawId, cancellationToken).ConfigureAwait(false);
            draws.Add(new RehearsalDraw(drawId, template?.Id, record, entries));
        }

        return new RehearsalResult(
            result,
            draws,
            run.Actions,
            run.Coupons,
            CouponConversion.FromEvents(run.Coupons, couponOrders, until.AddTicks(1)), // the codes issued at --until (prizes of draws closing then) count
            ordered.Count,
            run.Refused,
            run.Forfeited);

        async Task TickAsync(DateTimeOffset at)
        {
            clock.AdvanceTo(at);
            await IssueCouponsAsync().ConfigureAwait(false);
            var advance = await drawCampaign.AdvanceAsync(at, cancellationToken).ConfigureAwait(false);
            run.Refused += advance.Refused;
            run.Forfeited += advance.Forfeited;
            foreach (var action in advance.Actions)
            {
                run.Actions.Add(RehearsalAction.From(action));
                if (action is { Kind: CampaignActionKind.PrizeWon, GrantKey: null, Member: { } member })
                {
                    // A prize to claim: an event log has no claims, so the rehearsal has every winner still in the
                    // group claim at once (a winner who left was forfeited by the advance, and the prize moved on).
                    if (await drawCampaign.ClaimAsync(action.DrawId, member, at, cancellationToken).ConfigureAwait(false) is { } claimed)
                    {
                        run.Actions.Add(RehearsalAction.From(claimed));
                    }
                }
            }

            await IssueCouponsAsync().ConfigureAwait(false);
        }

        // The codes of the coupon grants appended since the last look (rule grants and prizes), in ledger order.
        async Task IssueCouponsAsync()
        {
            var entries = await ledger.GetEntriesAsync(cancellationToken).ConfigureAwait(false);
            for (; run.LedgerSeen < entries.Count; run.LedgerSeen++)
            {
                var entry = entries[run.LedgerSeen];
                if (entry.Kind == RewardEntryKind.Grant && entry.Rewards.Any(r => r.Kind == RewardKind.Coupon && r.Coupon is not null))
                {
                    var coupon = await coupons.IssueAsync(entry, cancellationToken).ConfigureAwait(false);
                    run.Coupons.Add(coupon);
                    run.Actions.Add(RehearsalAction.CouponIssued(coupon));
                }
            }
        }
    }

    /// <summary>
    /// Every instant from <paramref name="start"/> to <paramref name="until"/> at which some instance of a template
    /// opens, closes, or a claim deadline passes, sorted, without repeats.
    /// </summary>
    internal static List<DateTimeOffset> DueInstants(IReadOnlyList<DrawTemplate> templates, TimeZoneInfo zone, DateTimeOffset start, DateTimeOffset until)
    {
        var set = new SortedSet<DateTimeOffset>();
        var first = LocalCalendar.LocalDate(start, zone).AddMonths(-1);
        var last = LocalCalendar.LocalDate(until, zone);
        foreach (var t in templates)
        {
            var period = DrawIdPlaceholders.PeriodOf(t.DrawIdPattern);
            var slots = t.Prizes.Sum(p => (long)p.Count);
            var day = period switch
            {
                RewardPeriod.Week => LocalCalendar.WeekStart(first),
                RewardPeriod.Month => LocalCalendar.MonthStart(first),
                _ => first,
            };
            for (; day <= last; day = period switch { RewardPeriod.Week => day.AddDays(7), RewardPeriod.Month => day.AddMonths(1), _ => day.AddDays(1) })
            {
                var (opens, closes) = DrawCampaign.Window(t, day, zone);
                Add(opens);
                Add(closes);
                if (t.ClaimPeriod is { } claim)
                {
                    // A deadline per replacement: at most one replacement per slot and forfeit, bounded by the window.
                    for (long k = 1; k <= slots + 1 && closes + (claim * k) <= until; k++)
                    {
                        Add(closes + (claim * k));
                    }
                }
            }
        }

        return [.. set];

        void Add(DateTimeOffset instant)
        {
            if (instant >= start && instant < until)
            {
                set.Add(instant.ToUniversalTime());
            }
        }
    }

    private sealed class RunState
    {
        public List<RehearsalAction> Actions { get; } = [];

        public List<Coupon> Coupons { get; } = [];

        public int LedgerSeen { get; set; }

        public long Refused { get; set; }

        public long Forfeited { get; set; }
    }
}

/// <summary>One draw of a rehearsal: its record (null when never created) and its entries at the end.</summary>
internal sealed record RehearsalDraw(string DrawId, string? TemplateId, DrawRecord? Record, IReadOnlyList<DrawEntry> Entries);

/// <summary>What a rehearsal produced.</summary>
internal sealed record RehearsalResult(
    RewardReplayResult Ledger,
    IReadOnlyList<RehearsalDraw> Draws,
    IReadOnlyList<RehearsalAction> Actions,
    IReadOnlyList<Coupon> Coupons,
    CouponConversionReport Conversion,
    long Events,
    long Refused,
    long Forfeited);

/// <summary>One line of <c>actions.jsonl</c>: a campaign action, or a coupon code issued.</summary>
internal sealed record RehearsalAction(string Kind, DateTimeOffset At, CampaignAction? Campaign, Coupon? Coupon)
{
    public static RehearsalAction From(CampaignAction action) =>
        new(action.Kind == CampaignActionKind.PrizeWon ? "prize_won" : "draw_published", action.At, action, null);

    public static RehearsalAction CouponIssued(Coupon coupon) => new("coupon_issued", coupon.IssuedAt, null, coupon);
}
