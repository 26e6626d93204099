using System.Globalization;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards.Coupons;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Campaigns;

/// <summary>
/// The recurring draws over the reward ledger. State-based and idempotent: every call reads the ledger, computes each
/// draw's net tickets per member (grants not reversed) and writes only the difference to the draw, so a crash between
/// a ledger write and a draw write is caught up by the next call; a prize's ledger key (draw, tier, slot, replacement)
/// keeps it single. One call at a time in a process; across processes the draw store's conditional writes and the
/// ledger's unique keys keep every write single.
/// </summary>
internal sealed class DrawCampaign : IDrawCampaign
{
    /// <summary>The <see cref="RewardLedgerEntry.EventId"/> of a reversal that refused a ticket grant, before the draw id.</summary>
    internal const string RefusalPrefix = RewardLedgerEntry.DrawClosedRefusalPrefix;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IRewardLedger _ledger;
    private readonly IDrawService _draws;
    private readonly IDrawStore _store;
    private readonly IMemberDirectory _directory;
    private readonly ICouponService? _coupons;
    private readonly bool _drandSource;
    private readonly TimeZoneInfo _zone;
    private readonly DrawTemplate[] _templates;
    private readonly Dictionary<string, RewardBudget> _budgets = new(StringComparer.Ordinal);

    public DrawCampaign(
        IEnumerable<DrawTemplate> templates,
        IEnumerable<RewardBudget> budgets,
        TimeZoneInfo zone,
        IRewardLedger ledger,
        IDrawService draws,
        IDrawStore store,
        IMemberDirectory directory,
        ICouponService? coupons,
        IPublicEntropySource? entropy)
    {
        _templates = templates.ToArray();
        foreach (var b in budgets)
        {
            _budgets[b.Id] = b;
        }

        _zone = zone;
        _ledger = ledger;
        _draws = draws;
        _store = store;
        _directory = directory;
        _coupons = coupons;
        _drandSource = entropy is DrandEntropy;
    }

    public IReadOnlyList<DrawTemplate> Templates => _templates;

    public DrawTemplate? FindTemplate(string drawId)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        return Match(drawId)?.Template;
    }

    /// <summary>The instant an instance of <paramref name="template"/> opens and closes, for the period starting on <paramref name="periodStart"/>.</summary>
    internal static (DateTimeOffset Opens, DateTimeOffset Closes) Window(DrawTemplate template, DateOnly periodStart, TimeZoneInfo zone)
    {
        var period = DrawIdPlaceholders.PeriodOf(template.DrawIdPattern)
            ?? throw new ArgumentException($"draw template '{template.Id}': the pattern '{template.DrawIdPattern}' holds no single placeholder", nameof(template));
        var end = period switch
        {
            RewardPeriod.Day => periodStart.AddDays(1),
            RewardPeriod.Week => periodStart.AddDays(7),
            _ => periodStart.AddMonths(1),
        };
        var openDay = periodStart;
        if (template.OpensOn is { } opensOn)
        {
            while (openDay.DayOfWeek != opensOn && openDay < end)
            {
                openDay = openDay.AddDays(1);
            }
        }

        var closeDay = end;
        if (template.ClosesOn is { } closesOn)
        {
            closeDay = end.AddDays(-1);
            while (closeDay.DayOfWeek != closesOn && closeDay > periodStart)
            {
                closeDay = closeDay.AddDays(-1);
            }
        }

        return (LocalCalendar.At(openDay, template.OpensAt, zone), LocalCalendar.At(closeDay, template.ClosesAt, zone));
    }

    /// <summary>The prize's ledger key: <c>draw|</c>id<c>|</c>tier<c>|</c>slot<c>|</c>replacement (0 for the original winner).</summary>
    internal static string PrizeKey(string drawId, string tier, int slot, int replacement) =>
        string.Create(CultureInfo.InvariantCulture, $"{PrizeKeyPrefix}{drawId.Length}:{drawId}|{tier.Length}:{tier}|{slot}|{replacement}");

    /// <summary>How every prize's ledger key starts (<see cref="PrizeKey"/>).</summary>
    private const string PrizeKeyPrefix = "draw|";

    public async Task<CampaignAdvance> AdvanceAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var run = new Run(asOf);
            var ledger = LedgerView.Read(await _ledger.GetEntriesAsync(cancellationToken).ConfigureAwait(false));
            foreach (var (drawId, tickets) in ledger.Draws)
            {
                if (Match(drawId) is { } match)
                {
                    await AdvanceDrawAsync(run, ledger, drawId, tickets, match.Template, match.PeriodStart, cancellationToken).ConfigureAwait(false);
                }
            }

            return run.Result();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<CampaignAction?> ClaimAsync(string drawId, string member, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        ArgumentNullException.ThrowIfNull(member);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Match(drawId) is not { } match || await _draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false) is not { State: DrawState.Drawn, Proof: { } proof })
            {
                return null;
            }

            var closes = Window(match.Template, match.PeriodStart, _zone).Closes;
            var ledger = LedgerView.Read(await _ledger.GetEntriesAsync(cancellationToken).ConfigureAwait(false));
            foreach (var slot in CurrentWinners(proof))
            {
                if (!string.Equals(slot.Winner.Entry, member, StringComparison.Ordinal))
                {
                    continue;
                }

                var prize = match.Template.Prizes.First(p => p.Tier == slot.Winner.Tier);
                var key = PrizeKey(drawId, slot.Winner.Tier, slot.Winner.Slot, slot.Replacement);
                if (!ledger.Keys.Contains(key) && Deadline(match.Template, closes, slot.Replacement) is { } by && asOf >= by)
                {
                    return null;
                }

                var run = new Run(asOf);
                await GrantAsync(run, drawId, match.Template, prize, slot, key, cancellationToken).ConfigureAwait(false);
                return run.Actions.LastOrDefault();
            }

            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<CampaignAction>> ListActionsAsync(DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = await _ledger.GetEntriesAsync(cancellationToken).ConfigureAwait(false);
            var ledger = LedgerView.Read(entries);
            var prizes = new Dictionary<string, RewardLedgerEntry>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                if (e.Kind == RewardEntryKind.Grant && e.Key.StartsWith(PrizeKeyPrefix, StringComparison.Ordinal))
                {
                    prizes.TryAdd(e.Key, e);
                }
            }

            var actions = new List<CampaignAction>();
            foreach (var (drawId, _) in ledger.Draws)
            {
                if (Match(drawId) is not { } match
                    || await _draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false) is not { State: DrawState.Drawn, Proof: { } proof })
                {
                    continue;
                }

                actions.Add(new CampaignAction { Kind = CampaignActionKind.DrawPublished, DrawId = drawId, At = asOf, Proof = proof });
                var closes = Window(match.Template, match.PeriodStart, _zone).Closes;
                foreach (var slot in CurrentWinners(proof))
                {
                    var prize = match.Template.Prizes.First(p => p.Tier == slot.Winner.Tier);
                    var key = PrizeKey(drawId, slot.Winner.Tier, slot.Winner.Slot, slot.Replacement);
                    if (prizes.TryGetValue(key, out var grant))
                    {
                        var code = prize.Reward.Kind == RewardKind.Coupon && _coupons is not null
                            ? (await _coupons.IssueAsync(grant, cancellationToken).ConfigureAwait(false)).Code
                            : null;
                        actions.Add(PrizeWon(drawId, asOf, slot, prize.Reward) with { GrantKey = key, CouponCode = code });
                    }
                    else if (Deadline(match.Template, closes, slot.Replacement) is { } by && asOf < by)
                    {
                        actions.Add(PrizeWon(drawId, asOf, slot, prize.Reward) with { ClaimBy = by });
                    }
                }
            }

            return actions;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static CampaignAction PrizeWon(string drawId, DateTimeOffset at, CurrentWinner slot, RewardSpec reward) => new()
    {
        Kind = CampaignActionKind.PrizeWon,
        DrawId = drawId,
        At = at,
        Member = slot.Winner.Entry,
        Tier = slot.Winner.Tier,
        Slot = slot.Winner.Slot,
        Reward = reward,
    };

    private (DrawTemplate Template, DateOnly PeriodStart)? Match(string drawId)
    {
        foreach (var t in _templates)
        {
            if (DrawIdPlaceholders.TryMatch(t.DrawIdPattern, drawId, out var start))
            {
                return (t, start);
            }
        }

        return null;
    }

    private async Task AdvanceDrawAsync(
        Run run, LedgerView ledger, string drawId, DrawTickets tickets, DrawTemplate template, DateOnly periodStart, CancellationToken cancellationToken)
    {
        var (opens, closes) = Window(template, periodStart, _zone);
        var record = await _draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            if (run.AsOf < opens || !tickets.HasLiveGrant(ledger))
            {
                return;
            }

            record = await CreateAsync(drawId, template, closes, cancellationToken).ConfigureAwait(false);
            run.Created++;
        }

        var drawnBefore = record.State == DrawState.Drawn;
        if (record.State == DrawState.Created && run.AsOf >= opens)
        {
            record = await _draws.OpenAsync(drawId, cancellationToken).ConfigureAwait(false);
        }

        if (record.State == DrawState.Open)
        {
            await EnterAsync(run, ledger, drawId, tickets, template, closes, cancellationToken).ConfigureAwait(false);
            record = (await _draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false))!;
            if (record.State == DrawState.Open && run.AsOf >= closes)
            {
                record = await _draws.CloseAsync(drawId, cancellationToken).ConfigureAwait(false);
            }

            if (record.State != DrawState.Open)
            {
                run.Closed++;
            }
        }

        if (record.State == DrawState.Closed && record.EntriesRoot is null)
        {
            // An instance stopped inside the close (state written, root not yet): finish it, idempotently.
            record = await _draws.CloseAsync(drawId, cancellationToken).ConfigureAwait(false);
        }

        if ((record.State == DrawState.Closed && record.EntriesRoot is not null) || record.State == DrawState.EntropySupplied)
        {
            // Also a draw an instance left with its entropy supplied but not drawn.
            record = await DrawAsync(drawId, record, template, cancellationToken).ConfigureAwait(false);
        }

        if (record.State is DrawState.Open or DrawState.Created)
        {
            return;
        }

        await RefuseLateAsync(run, ledger, drawId, tickets, template, cancellationToken).ConfigureAwait(false);
        if (record.State == DrawState.Drawn)
        {
            if (!drawnBefore)
            {
                run.Drawn++;
            }

            await PrizesAsync(run, ledger, drawId, template, closes, newlyDrawn: !drawnBefore, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DrawRecord> CreateAsync(string drawId, DrawTemplate template, DateTimeOffset closes, CancellationToken cancellationToken)
    {
        var schedule = template.Entropy == DrawEntropy.Registered && _drandSource ? DrawSchedule.At(closes)
            : template.ClosesAtEntries is { } n ? DrawSchedule.WhenEntries(n)
            : DrawSchedule.Manual;
        var definition = new DrawDefinition(drawId, template.Prizes.Select(p => new PrizeTier(p.Tier, p.Count)).ToList())
        {
            Schedule = schedule,
            MaxTicketsPerEntry = template.MaxTicketsPerEntry,
            MaxEntries = template.ClosesAtEntries,
        };
        try
        {
            return await _draws.CreateAsync(definition, cancellationToken).ConfigureAwait(false);
        }
        catch (DrawLifecycleException)
        {
            // Another instance created it first (else the exception stands).
            if (await _draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return existing;
            }

            throw;
        }
    }

    /// <summary>Writes the difference between each member's net tickets granted before the close and their entry.</summary>
    private async Task EnterAsync(
        Run run, LedgerView ledger, string drawId, DrawTickets tickets, DrawTemplate template, DateTimeOffset closes, CancellationToken cancellationToken)
    {
        var current = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in await _store.GetEntriesAsync(drawId, cancellationToken).ConfigureAwait(false))
        {
            current[e.Id] = e.Weight;
        }

        try
        {
            foreach (var member in tickets.Members)
            {
                var wanted = Math.Min(tickets.Net(ledger, member, before: closes), template.MaxTicketsPerEntry);
                current.TryGetValue(member, out var held);
                if (wanted == held)
                {
                    continue;
                }

                // Set from what was read, not added: another instance that read the same entries and set it first
                // wins, and this one leaves it (Changed) to its next step, so no ticket is entered twice.
                if ((await _draws.SetTicketsAsync(drawId, member, wanted, held, cancellationToken).ConfigureAwait(false)).Outcome == EntryChangeOutcome.Applied)
                {
                    run.EntryChanges++;
                }
            }
        }
        catch (DrawLifecycleException e) when (e.State is not DrawState.Open || e.Message.Contains("full", StringComparison.Ordinal))
        {
            // Closed meanwhile (its entry count reached, or another instance closed it): the rest is refused below.
        }
    }

    private async Task<DrawRecord> DrawAsync(string drawId, DrawRecord record, DrawTemplate template, CancellationToken cancellationToken)
    {
        if (template.Entropy == DrawEntropy.None)
        {
            if (record.State == DrawState.Closed)
            {
                await _draws.SupplyEntropyAsync(drawId, ReadOnlyMemory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            }

            await _draws.DrawAsync(drawId, cancellationToken).ConfigureAwait(false);
            return (await _draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false))!;
        }

        try
        {
            return await _draws.AdvanceAsync(drawId, cancellationToken).ConfigureAwait(false);
        }
        catch (PublicEntropyNotYetException)
        {
            return (await _draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>Reverses, with a typed reason, the ticket grants of a closed draw its frozen entries do not hold (latest first).</summary>
    private async Task RefuseLateAsync(Run run, LedgerView ledger, string drawId, DrawTickets tickets, DrawTemplate template, CancellationToken cancellationToken)
    {
        Dictionary<string, long>? held = null;
        foreach (var member in tickets.Members)
        {
            var net = Math.Min(tickets.Net(ledger, member, before: null), template.MaxTicketsPerEntry);
            if (net == 0)
            {
                continue;
            }

            if (held is null)
            {
                held = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var e in await _store.GetEntriesAsync(drawId, cancellationToken).ConfigureAwait(false))
                {
                    held[e.Id] = e.Weight;
                }
            }

            held.TryGetValue(member, out var weight);
            var surplus = net - weight;
            foreach (var grant in tickets.LiveGrantsLatestFirst(ledger, member))
            {
                if (surplus <= 0)
                {
                    break;
                }

                var result = await _ledger.TryReverseAsync(grant.Entry.Key, run.AsOf, RefusalPrefix + drawId, cancellationToken).ConfigureAwait(false);
                if (result == RewardReverseResult.Reversed)
                {
                    run.Refused++;
                }

                ledger.Reversed.Add(grant.Entry.Key);
                surplus -= grant.Tickets;
            }
        }
    }

    /// <summary>Forfeits winners who left or missed their claim (the prize moves to the replacement), grants the others' prizes.</summary>
    private async Task PrizesAsync(Run run, LedgerView ledger, string drawId, DrawTemplate template, DateTimeOffset closes, bool newlyDrawn, CancellationToken cancellationToken)
    {
        var selectedNow = new HashSet<(string Tier, int Slot, int Replacement)>();
        var changed = newlyDrawn;
        DrawProof proof;
        while (true)
        {
            proof = (await _draws.GetAsync(drawId, cancellationToken).ConfigureAwait(false))!.Proof!;
            var slots = CurrentWinners(proof);
            if (newlyDrawn && selectedNow.Count == 0)
            {
                foreach (var s in slots)
                {
                    selectedNow.Add((s.Winner.Tier, s.Winner.Slot, s.Replacement));
                }
            }

            string? forfeit = null;
            foreach (var slot in slots)
            {
                if (ledger.Keys.Contains(PrizeKey(drawId, slot.Winner.Tier, slot.Winner.Slot, slot.Replacement)))
                {
                    continue; // granted: the prize is the winner's
                }

                var facts = await _directory.FindAsync(slot.Winner.Entry!, cancellationToken).ConfigureAwait(false);
                if (facts is { State: not MembershipState.InGroup }
                    || (Deadline(template, closes, slot.Replacement) is { } by && run.AsOf >= by))
                {
                    forfeit = slot.Winner.Entry;
                    break;
                }
            }

            if (forfeit is null)
            {
                break;
            }

            var replacement = await _draws.ForfeitAsync(drawId, forfeit, cancellationToken).ConfigureAwait(false);
            run.Forfeited++;
            changed = true;
            var generation = proof.Winners.Count(w => w.Tier == replacement.Tier && w.Slot == replacement.Slot);
            selectedNow.Add((replacement.Tier, replacement.Slot, generation));
        }

        if (changed)
        {
            run.Actions.Add(new CampaignAction { Kind = CampaignActionKind.DrawPublished, DrawId = drawId, At = run.AsOf, Proof = proof });
        }

        foreach (var slot in CurrentWinners(proof))
        {
            var key = PrizeKey(drawId, slot.Winner.Tier, slot.Winner.Slot, slot.Replacement);
            if (ledger.Keys.Contains(key))
            {
                continue;
            }

            var prize = template.Prizes.First(p => p.Tier == slot.Winner.Tier);
            if (template.ClaimPeriod is null)
            {
                await GrantAsync(run, drawId, template, prize, slot, key, cancellationToken).ConfigureAwait(false);
                ledger.Keys.Add(key);
            }
            else if (selectedNow.Contains((slot.Winner.Tier, slot.Winner.Slot, slot.Replacement)))
            {
                run.Actions.Add(PrizeWon(drawId, run.AsOf, slot, prize.Reward) with { ClaimBy = Deadline(template, closes, slot.Replacement) });
            }
        }
    }

    private async Task GrantAsync(Run run, string drawId, DrawTemplate template, DrawPrize prize, CurrentWinner slot, string key, CancellationToken cancellationToken)
    {
        var reward = prize.Reward;
        var counters = new List<RewardCounter>();
        if (template.Budget is { } b && _budgets.TryGetValue(b, out var budget))
        {
            var cost = reward.Cost != 0 && reward.Quantity > long.MaxValue / reward.Cost ? long.MaxValue : reward.Quantity * reward.Cost;
            counters.Add(new RewardCounter("budget|" + b, budget.Limit, cost, true));
        }

        var grant = new RewardLedgerEntry
        {
            Key = key,
            Kind = RewardEntryKind.Grant,
            RuleId = drawId,
            Member = slot.Winner.Entry!,
            At = run.AsOf,
            EventId = "draw:" + drawId,
            Rewards = [reward],
            Counters = counters,
            ExpiresAt = reward.Coupon?.ValidDays is { } days
                ? LocalCalendar.StartOfDay(LocalCalendar.LocalDate(run.AsOf, _zone).AddDays(days), _zone)
                : null,
        };
        var result = await _ledger.TryAppendAsync(grant, cancellationToken).ConfigureAwait(false);
        if (result is RewardAppendResult.BudgetExhausted or RewardAppendResult.LimitReached)
        {
            run.PrizesOverBudget++;
            return;
        }

        string? code = null;
        if (reward.Kind == RewardKind.Coupon && _coupons is not null)
        {
            code = (await _coupons.IssueAsync(grant, cancellationToken).ConfigureAwait(false)).Code;
        }

        if (result == RewardAppendResult.Granted)
        {
            run.PrizesGranted++;
        }

        run.Actions.Add(PrizeWon(drawId, run.AsOf, slot, reward) with { GrantKey = key, CouponCode = code });
    }

    private static DateTimeOffset? Deadline(DrawTemplate template, DateTimeOffset closes, int replacement) =>
        template.ClaimPeriod is { } period ? closes + (period * (replacement + 1)) : null;

    /// <summary>Each filled slot's current winner (the last selection recorded for it) and how many replacements it had.</summary>
    private static List<CurrentWinner> CurrentWinners(DrawProof proof)
    {
        var bySlot = new Dictionary<(string, int), CurrentWinner>();
        var order = new List<(string, int)>();
        foreach (var w in proof.Winners)
        {
            var at = (w.Tier, w.Slot);
            if (bySlot.TryGetValue(at, out var known))
            {
                bySlot[at] = new CurrentWinner(w, known.Replacement + 1);
            }
            else
            {
                bySlot[at] = new CurrentWinner(w, 0);
                order.Add(at);
            }
        }

        return order.Select(at => bySlot[at]).Where(c => c.Winner.Entry is not null).ToList();
    }

    private sealed record CurrentWinner(DrawWinner Winner, int Replacement);

    private sealed class Run(DateTimeOffset asOf)
    {
        public DateTimeOffset AsOf { get; } = asOf;

        public List<CampaignAction> Actions { get; } = [];

        public int Created { get; set; }

        public int EntryChanges { get; set; }

        public int Closed { get; set; }

        public int Drawn { get; set; }

        public int Refused { get; set; }

        public int Forfeited { get; set; }

        public int PrizesGranted { get; set; }

        public int PrizesOverBudget { get; set; }

        public CampaignAdvance Result() => new()
        {
            Actions = Actions,
            Created = Created,
            EntryChanges = EntryChanges,
            Closed = Closed,
            Drawn = Drawn,
            Refused = Refused,
            Forfeited = Forfeited,
            PrizesGranted = PrizesGranted,
            PrizesOverBudget = PrizesOverBudget,
        };
    }

    /// <summary>The ledger as the campaign reads it: every key, the reversed grant keys, the ticket grants per draw.</summary>
    private sealed class LedgerView
    {
        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Reversed { get; } = new(StringComparer.Ordinal);

        /// <summary>The draws tickets were granted for, in the order of their first grant.</summary>
        public List<(string DrawId, DrawTickets Tickets)> Draws { get; } = [];

        public static LedgerView Read(IReadOnlyList<RewardLedgerEntry> entries)
        {
            var view = new LedgerView();
            var byDraw = new Dictionary<string, DrawTickets>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                view.Keys.Add(entry.Key);
                if (entry.Kind == RewardEntryKind.Reversal)
                {
                    if (entry.Reverses is { } reversed)
                    {
                        view.Reversed.Add(reversed);
                    }

                    continue;
                }

                foreach (var reward in entry.Rewards)
                {
                    if (reward.Kind != RewardKind.Tickets || reward.Draw is not { } draw)
                    {
                        continue;
                    }

                    if (!byDraw.TryGetValue(draw, out var tickets))
                    {
                        byDraw.Add(draw, tickets = new DrawTickets());
                        view.Draws.Add((draw, tickets));
                    }

                    tickets.Add(entry, reward.Quantity);
                }
            }

            return view;
        }
    }

    /// <summary>One draw's ticket grants per member, in ledger order.</summary>
    private sealed class DrawTickets
    {
        private readonly Dictionary<string, List<TicketGrant>> _byMember = new(StringComparer.Ordinal);

        /// <summary>The members, in the order of their first ticket.</summary>
        public List<string> Members { get; } = [];

        public void Add(RewardLedgerEntry entry, long tickets)
        {
            if (!_byMember.TryGetValue(entry.Member, out var grants))
            {
                _byMember.Add(entry.Member, grants = []);
                Members.Add(entry.Member);
            }

            if (grants.Count > 0 && ReferenceEquals(grants[^1].Entry, entry))
            {
                grants[^1] = grants[^1] with { Tickets = grants[^1].Tickets + tickets };
            }
            else
            {
                grants.Add(new TicketGrant(entry, tickets));
            }
        }

        public bool HasLiveGrant(LedgerView ledger) =>
            _byMember.Values.Any(g => g.Any(t => !ledger.Reversed.Contains(t.Entry.Key)));

        /// <summary>The member's tickets of grants not reversed, granted before <paramref name="before"/> (all with null).</summary>
        public long Net(LedgerView ledger, string member, DateTimeOffset? before)
        {
            long n = 0;
            foreach (var g in _byMember[member])
            {
                if (!ledger.Reversed.Contains(g.Entry.Key) && (before is not { } b || g.Entry.At < b))
                {
                    n = checked(n + g.Tickets);
                }
            }

            return n;
        }

        public IEnumerable<TicketGrant> LiveGrantsLatestFirst(LedgerView ledger, string member)
        {
            var grants = _byMember[member];
            for (var i = grants.Count - 1; i >= 0; i--)
            {
                if (!ledger.Reversed.Contains(grants[i].Entry.Key))
                {
                    yield return grants[i];
                }
            }
        }
    }

    private sealed record TicketGrant(RewardLedgerEntry Entry, long Tickets);
}
