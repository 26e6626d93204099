using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Lottery;

/// <summary>The draw lifecycle over an <see cref="IDrawStore"/>, an <see cref="IDrawSecretStore"/> and an optional entropy source.</summary>
internal sealed class DrawService : IDrawService
{
    private readonly IDrawStore _store;
    private readonly IDrawSecretStore _secrets;
    private readonly IPublicEntropySource? _entropy;
    private readonly LotteryOptions _options;
    private readonly TimeProvider _time;
    private readonly DrawSeedSource? _seeds;

    public DrawService(IDrawStore store, IDrawSecretStore secrets, IPublicEntropySource? entropy, IOptions<LotteryOptions> options, TimeProvider time)
        : this(store, secrets, entropy, options, time, seeds: null)
    {
    }

    /// <summary>As the public constructor, with the server seeds from <paramref name="seeds"/> (a rehearsal's seeded source) instead of <see cref="RandomNumberGenerator"/>.</summary>
    internal DrawService(IDrawStore store, IDrawSecretStore secrets, IPublicEntropySource? entropy, IOptions<LotteryOptions> options, TimeProvider time, DrawSeedSource? seeds)
    {
        _store = store;
        _secrets = secrets;
        _entropy = entropy;
        _options = options.Value;
        _time = time;
        _seeds = seeds;
    }

    public async Task<DrawRecord> CreateAsync(DrawDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Validate(definition);
        ValidateSlots(definition);
        if (await _store.FindAsync(definition.DrawId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            throw new DrawLifecycleException(definition.DrawId, existing.State, "create", "a draw with this id already exists");
        }

        var named = NameDrandRound(definition);
        var seed = new byte[FairDrawEngine.SeedSize];
        if (_seeds is null)
        {
            RandomNumberGenerator.Fill(seed);
        }
        else
        {
            _seeds(definition.DrawId, seed);
        }

        await _secrets.StoreSeedAsync(definition.DrawId, seed, cancellationToken).ConfigureAwait(false);
        var record = new DrawRecord
        {
            Definition = definition,
            State = DrawState.Created,
            Version = 1,
            Commitment = named is null ? FairDraw.ComputeCommitment(seed) : FairDraw.ComputeCommitment(seed, named),
            DrandRound = named,
            CreatedAt = _time.GetUtcNow(),
        };
        CryptographicOperations.ZeroMemory(seed);
        if (!await _store.TryCreateAsync(record, cancellationToken).ConfigureAwait(false))
        {
            throw new DrawLifecycleException(definition.DrawId, null, "create", "a draw with this id was created concurrently");
        }

        return record;
    }

    public Task<DrawRecord> OpenAsync(string drawId, CancellationToken cancellationToken = default) =>
        TransitionAsync(drawId, "open", cancellationToken, r =>
        {
            Require(r, "open", DrawState.Created, "only a created draw is opened");
            return r with { State = DrawState.Open };
        });

    public async Task<EntryChangeResult> EnterAsync(string drawId, string entryId, long tickets = 1, CancellationToken cancellationToken = default)
    {
        var result = await ChangeAsync(drawId, DrawEntryChangeKind.Add, entryId, tickets, "enter", cancellationToken).ConfigureAwait(false);
        await AdvanceAsync(drawId, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task<EntryChangeResult> AddTicketsAsync(string drawId, string entryId, long tickets, CancellationToken cancellationToken = default) =>
        ChangeAsync(drawId, DrawEntryChangeKind.AddTickets, entryId, tickets, "add tickets", cancellationToken);

    public async Task<EntryChangeResult> SetTicketsAsync(string drawId, string entryId, long tickets, long expected, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tickets);
        ArgumentOutOfRangeException.ThrowIfNegative(expected);
        var result = await ChangeAsync(drawId, DrawEntryChangeKind.SetTickets, entryId, tickets, "set tickets", cancellationToken, expected).ConfigureAwait(false);
        await AdvanceAsync(drawId, cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task<EntryChangeResult> WithdrawAsync(string drawId, string entryId, CancellationToken cancellationToken = default) =>
        ChangeAsync(drawId, DrawEntryChangeKind.Withdraw, entryId, 0, "withdraw", cancellationToken);

    public async Task<DrawRecord> CloseAsync(string drawId, CancellationToken cancellationToken = default)
    {
        var closed = await TransitionAsync(drawId, "close", cancellationToken, r =>
        {
            if (r.State == DrawState.Closed && r.EntriesRoot is null)
            {
                return null; // closed before, root not yet published (e.g. a crash in between): publish it now
            }

            Require(r, "close", DrawState.Open, "only an open draw is closed");
            return r with { State = DrawState.Closed, ClosedAt = _time.GetUtcNow() };
        }).ConfigureAwait(false);

        // Entries are frozen now: the store refuses changes once the state is Closed.
        var entries = await _store.GetEntriesAsync(drawId, cancellationToken).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            return closed;
        }

        var root = FairDraw.ComputeEntriesRoot(entries);
        var total = entries.Sum(e => e.Weight);
        return await TransitionAsync(drawId, "close", cancellationToken, r =>
            r.State == DrawState.Closed && r.EntriesRoot is null
                ? r with { EntriesRoot = root, EntryCount = entries.Count, TotalWeight = total }
                : null).ConfigureAwait(false);
    }

    public async Task<DrawRecord> SupplyEntropyAsync(string drawId, ReadOnlyMemory<byte> publicEntropy, CancellationToken cancellationToken = default)
    {
        if (publicEntropy.Length > FairDrawEngine.MaxEntropyBytes)
        {
            throw new FairDrawInputException("publicEntropy", "0 to 4096 bytes", $"the entropy is {publicEntropy.Length} bytes");
        }

        var hex = Hex.Lower(publicEntropy.Span);
        return await TransitionAsync(drawId, "supply public entropy", cancellationToken, r =>
        {
            Require(r, "supply public entropy", DrawState.Closed, "entropy is supplied once, after the close, so nobody can choose it knowing the entries");
            if (r.DrandRound is { } named)
            {
                throw new DrawLifecycleException(drawId, r.State, "supply public entropy", $"the draw named drand round {named.Round} at its creation; its entropy is that round's randomness (FetchEntropyAsync)");
            }

            if (r.EntriesRoot is null)
            {
                throw new DrawLifecycleException(drawId, r.State, "supply public entropy", "the draw closed without entries; there is nothing to draw");
            }

            return r with { State = DrawState.EntropySupplied, PublicEntropy = hex, EntropySuppliedAt = _time.GetUtcNow() };
        }).ConfigureAwait(false);
    }

    public async Task<DrawRecord> FetchEntropyAsync(string drawId, CancellationToken cancellationToken = default)
    {
        var record = await LoadAsync(drawId, cancellationToken).ConfigureAwait(false);
        Require(record, "fetch public entropy", DrawState.Closed, "entropy is fetched after the close");
        if (_entropy is null)
        {
            throw new DrawLifecycleException(drawId, record.State, "fetch public entropy", "no IPublicEntropySource is registered (use UsePublicEntropySource)");
        }

        if (record.EntriesRoot is null)
        {
            throw new DrawLifecycleException(drawId, record.State, "fetch public entropy", "the draw closed without entries; there is nothing to draw");
        }

        if (record.DrandRound is { } named)
        {
            return await FetchDrandRoundAsync(record, named, cancellationToken).ConfigureAwait(false);
        }

        var bytes = await _entropy.GetEntropyAsync(new PublicEntropyRequest(drawId, record.ClosedAt!.Value, record.EntriesRoot), cancellationToken).ConfigureAwait(false);
        return await SupplyEntropyAsync(drawId, bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fetches exactly the round named at creation, once it is published and only if it was published at or after the close.</summary>
    private async Task<DrawRecord> FetchDrandRoundAsync(DrawRecord record, DrandRound named, CancellationToken cancellationToken)
    {
        const string Operation = "fetch public entropy";
        var drawId = record.DrawId;
        if (_entropy is not DrandEntropy drand || !string.Equals(drand.Chain.ChainHash, named.ChainHash, StringComparison.Ordinal))
        {
            throw new DrawLifecycleException(drawId, record.State, Operation, $"the draw named a round of drand chain {named.ChainHash} at its creation, but the registered entropy source is {(_entropy as DrandEntropy)?.Chain.ToString() ?? _entropy?.GetType().Name}");
        }

        var publishedAt = drand.Chain.TimeOf(named.Round);
        if (publishedAt < record.ClosedAt!.Value)
        {
            throw new DrawLifecycleException(drawId, record.State, Operation,
                $"the entries closed at {DrandRules.Format(record.ClosedAt.Value)}, after drand round {named.Round} (named at creation) was published at {DrandRules.Format(publishedAt)}: its randomness was public while entries were open, so this draw cannot be drawn fairly; void it and create a new one (a longer safety margin, a close on time)");
        }

        if (_time.GetUtcNow() < publishedAt)
        {
            throw new PublicEntropyNotYetException(drawId, named, publishedAt);
        }

        var (randomness, signature) = await drand.FetchRoundAsync(named.Round, cancellationToken).ConfigureAwait(false);
        var hex = Hex.Lower(randomness);
        var signatureHex = Hex.Lower(signature);
        return await TransitionAsync(drawId, Operation, cancellationToken, r =>
        {
            Require(r, Operation, DrawState.Closed, "entropy is supplied once, after the close, so nobody can choose it knowing the entries");
            return r with { State = DrawState.EntropySupplied, PublicEntropy = hex, DrandSignature = signatureHex, EntropySuppliedAt = _time.GetUtcNow() };
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// With a drand source, the round a new draw names: the first published at or after its scheduled close plus the
    /// margin. It needs a close time, a chain the verifiers know, and a round still in the future.
    /// </summary>
    private DrandRound? NameDrandRound(DrawDefinition definition)
    {
        if (_entropy is not DrandEntropy drand)
        {
            return null;
        }

        if (definition.Schedule.ClosesAt is not { } closesAt)
        {
            throw new FairDrawInputException("schedule", "a draw with drand entropy closes at a time (DrawSchedule.At), so its round is named at creation", "the draw has no close time");
        }

        if (DrandChain.Find(drand.Chain.ChainHash) is null)
        {
            throw new FairDrawInputException("drand.chain", "quicknet or mainnet (the chains fair-draw/v1.1 verifiers know)", $"the source uses {drand.Chain}");
        }

        var named = drand.NameRound(closesAt);
        var now = _time.GetUtcNow();
        if (drand.Chain.TimeOf(named.Round) <= now)
        {
            throw new FairDrawInputException("schedule", "the named drand round is published after the draw is created", $"round {named.Round} was published at {DrandRules.Format(drand.Chain.TimeOf(named.Round))}, before now ({DrandRules.Format(now)})");
        }

        return named;
    }

    public async Task<DrawProof> DrawAsync(string drawId, CancellationToken cancellationToken = default)
    {
        var record = await LoadAsync(drawId, cancellationToken).ConfigureAwait(false);
        Require(record, "draw", DrawState.EntropySupplied, "a draw is drawn once, after its public entropy is supplied");
        var seed = await RevealSeedAsync(record, cancellationToken).ConfigureAwait(false);
        var entries = await _store.GetEntriesAsync(drawId, cancellationToken).ConfigureAwait(false);
        var proof = FairDraw.Run(new DrawInput(
            drawId, record.Definition.Prizes, entries, seed, Convert.FromHexString(record.PublicEntropy!))
        {
            Drand = record.DrandRound is { } named
                ? new DrandBeacon(named.ChainHash, named.Round, record.ClosedAt!.Value, record.PublicEntropy!, record.DrandSignature)
                : null,
        });
        if (!string.Equals(proof.EntriesRoot, record.EntriesRoot, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"draw '{drawId}': the stored entries give root {proof.EntriesRoot}, not the root {record.EntriesRoot} published at the close; the store let entries change after the close");
        }

        await TransitionAsync(drawId, "draw", cancellationToken, r =>
        {
            Require(r, "draw", DrawState.EntropySupplied, "a draw has exactly one result");
            return r with { State = DrawState.Drawn, Proof = proof };
        }).ConfigureAwait(false);
        return proof;
    }

    public async Task<DrawWinner> ForfeitAsync(string drawId, string entryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entryId);
        DrawWinner? replacement = null;
        await TransitionAsync(drawId, "forfeit", cancellationToken, r =>
        {
            Require(r, "forfeit", DrawState.Drawn, "only a winner of a drawn draw is forfeited");
            var proof = r.Proof!;
            var forfeited = proof.Forfeited.Append(entryId).ToList();
            var next = FairDraw.Run(new DrawInput(
                drawId, proof.Prizes, proof.Entries, Convert.FromHexString(proof.ServerSeed), Convert.FromHexString(proof.PublicEntropy), forfeited)
            {
                Drand = proof.Drand,
            });
            replacement = next.Winners[^1];
            return r with { Proof = next };
        }).ConfigureAwait(false);
        return replacement!;
    }

    public async Task<DrawRecord> AdvanceAsync(string drawId, CancellationToken cancellationToken = default)
    {
        var record = await LoadAsync(drawId, cancellationToken).ConfigureAwait(false);
        if ((record.State == DrawState.Open && IsDue(record)) || (record.State == DrawState.Closed && record.EntriesRoot is null))
        {
            // (A closed draw without its entries root: an instance stopped inside the close; finishing it is idempotent.)
            record = await CloseAsync(drawId, cancellationToken).ConfigureAwait(false);
        }

        if (record.State == DrawState.Closed && record.EntriesRoot is not null && _entropy is not null
            && !(record.DrandRound is { } named && _entropy is DrandEntropy drand && _time.GetUtcNow() < drand.Chain.TimeOf(named.Round)))
        {
            // (A drand round not yet published: not yet; the draw stays closed until a later call.)
            record = await FetchEntropyAsync(drawId, cancellationToken).ConfigureAwait(false);
        }

        if (record.State == DrawState.EntropySupplied)
        {
            await DrawAsync(drawId, cancellationToken).ConfigureAwait(false);
            record = await LoadAsync(drawId, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    public Task<DrawRecord?> GetAsync(string drawId, CancellationToken cancellationToken = default) =>
        _store.FindAsync(drawId, cancellationToken);

    private bool IsDue(DrawRecord record)
    {
        var schedule = record.Definition.Schedule;
        if (schedule.ClosesAt is { } at && _time.GetUtcNow() >= at)
        {
            return true;
        }

        return false;
    }

    private async Task<EntryChangeResult> ChangeAsync(
        string drawId, DrawEntryChangeKind kind, string entryId, long tickets, string operation, CancellationToken cancellationToken, long expected = 0)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        FairDrawEngine.ValidateString(entryId, "entryId", "id is non-empty, valid Unicode, at most 256 UTF-8 bytes");
        if (kind is DrawEntryChangeKind.Add or DrawEntryChangeKind.AddTickets && tickets < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tickets), tickets, "tickets: at least 1 ticket is added");
        }

        var record = await LoadAsync(drawId, cancellationToken).ConfigureAwait(false);
        var definition = record.Definition;
        var maxEntries = Math.Min(definition.MaxEntries ?? int.MaxValue, _options.MaxEntriesPerDraw);
        if (definition.Schedule.ClosesAtEntries is { } closeAt)
        {
            maxEntries = Math.Min(maxEntries, closeAt);
        }

        if (record.State == DrawState.Open && IsDue(record))
        {
            await CloseAsync(drawId, cancellationToken).ConfigureAwait(false);
            throw new DrawLifecycleException(drawId, DrawState.Closed, operation, "the entries closed at the scheduled time");
        }

        var change = new DrawEntryChange(kind, entryId, tickets, definition.MaxTicketsPerEntry, maxEntries, CanonicalEntries.MaxTotalWeight) { ExpectedTickets = expected };
        var result = await _store.ApplyEntryChangeAsync(drawId, change, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case EntryChangeOutcome.Applied:
                if (kind is DrawEntryChangeKind.Add or DrawEntryChangeKind.SetTickets && definition.Schedule.ClosesAtEntries is { } n && result.EntryCount >= n)
                {
                    await CloseIfOpenAsync(drawId, cancellationToken).ConfigureAwait(false);
                }

                return result;
            case EntryChangeOutcome.Changed:
                return result; // a compare-and-set that lost: the caller reads again
            case EntryChangeOutcome.DrawNotFound:
                throw new DrawLifecycleException(drawId, null, operation, "no draw has this id");
            case EntryChangeOutcome.DrawNotOpen:
                var now = await _store.FindAsync(drawId, cancellationToken).ConfigureAwait(false);
                throw new DrawLifecycleException(drawId, now?.State, operation, "entries change only while the draw is Open");
            case EntryChangeOutcome.AlreadyEntered:
                throw new DrawLifecycleException(drawId, DrawState.Open, operation, $"'{entryId}' is already entered; add tickets instead");
            case EntryChangeOutcome.NotEntered:
                throw new DrawLifecycleException(drawId, DrawState.Open, operation, $"'{entryId}' is not entered");
            case EntryChangeOutcome.TicketLimit:
                throw new DrawLifecycleException(drawId, DrawState.Open, operation, $"'{entryId}' would hold more than {definition.MaxTicketsPerEntry} tickets");
            default:
                throw new DrawLifecycleException(drawId, DrawState.Open, operation, $"the draw is full ({maxEntries} entries, or {CanonicalEntries.MaxTotalWeight} tickets)");
        }
    }

    private async Task CloseIfOpenAsync(string drawId, CancellationToken cancellationToken)
    {
        try
        {
            await CloseAsync(drawId, cancellationToken).ConfigureAwait(false);
        }
        catch (DrawLifecycleException e) when (e.State is DrawState.Closed or DrawState.EntropySupplied or DrawState.Drawn)
        {
            // Another caller closed it first.
        }
    }

    private async Task<byte[]> RevealSeedAsync(DrawRecord record, CancellationToken cancellationToken)
    {
        var seed = await _secrets.GetSeedAsync(record.DrawId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"draw '{record.DrawId}': the secret store has no server seed for it");
        if (seed.Length != FairDrawEngine.SeedSize
            || !string.Equals(
                record.DrandRound is { } named ? FairDraw.ComputeCommitment(seed, named) : FairDraw.ComputeCommitment(seed),
                record.Commitment,
                StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"draw '{record.DrawId}': the secret store's seed does not hash to the published commitment {record.Commitment}");
        }

        return seed;
    }

    private static void Validate(DrawDefinition definition)
    {
        FairDrawEngine.ValidateString(definition.DrawId, "drawId", "drawId is non-empty, at most 256 UTF-8 bytes, valid Unicode");
        FairDrawEngine.ValidatePrizes(definition.Prizes);
        if (definition.Prizes.Count == 0)
        {
            throw new FairDrawInputException("prizes", "at least one tier", "the draw has no prizes");
        }

        ArgumentNullException.ThrowIfNull(definition.Schedule, nameof(definition.Schedule));
        if (definition.MaxTicketsPerEntry < 1 || definition.MaxTicketsPerEntry > CanonicalEntries.MaxWeight)
        {
            throw new FairDrawInputException("maxTicketsPerEntry", "1 <= weight <= 4294967295", $"the limit is {definition.MaxTicketsPerEntry}");
        }

        if (definition.MaxEntries is < 1)
        {
            throw new FairDrawInputException("maxEntries", "at least 1", $"the limit is {definition.MaxEntries}");
        }
    }

    private void ValidateSlots(DrawDefinition definition)
    {
        var slots = definition.Prizes.Sum(p => (long)p.Count);
        if (slots > _options.MaxSlotsPerDraw)
        {
            throw new FairDrawInputException("prizes", $"at most {_options.MaxSlotsPerDraw} slots (LotteryOptions.MaxSlotsPerDraw)", $"the tiers have {slots} slots");
        }
    }

    private static void Require(DrawRecord record, string operation, DrawState expected, string rule)
    {
        if (record.State != expected)
        {
            throw new DrawLifecycleException(record.DrawId, record.State, operation, $"needs state {expected}; {rule}");
        }
    }

    private async Task<DrawRecord> LoadAsync(string drawId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drawId);
        return await _store.FindAsync(drawId, cancellationToken).ConfigureAwait(false)
            ?? throw new DrawLifecycleException(drawId, null, "find", "no draw has this id");
    }

    /// <summary>
    /// Reads, changes and conditionally writes a record, retrying when a concurrent writer got there first.
    /// <c>change</c> returns the changed record, <see langword="null"/> for "nothing to do", or throws for a bad state.
    /// </summary>
    private async Task<DrawRecord> TransitionAsync(string drawId, string operation, CancellationToken cancellationToken, Func<DrawRecord, DrawRecord?> change)
    {
        for (var attempt = 0; attempt < _options.ConflictRetries; attempt++)
        {
            var current = await LoadAsync(drawId, cancellationToken).ConfigureAwait(false);
            var next = change(current);
            if (next is null)
            {
                return current;
            }

            next = next with { Version = current.Version + 1 };
            if (await _store.TryUpdateAsync(next, current.Version, cancellationToken).ConfigureAwait(false))
            {
                return next;
            }
        }

        throw new DrawLifecycleException(drawId, null, operation, $"concurrent updates conflicted {_options.ConflictRetries} times; try again");
    }
}
