using System.Globalization;
using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// The domain rules of the online activation projection (event-log/v1, "The 24-hour activation rate"), shared by
/// every <see cref="IActivationStore"/> (this file is compiled into the SQL store packages too): what an event
/// changes in the rows, and how the rows as of an instant become a report. A store only keeps rows: it opens its
/// transaction, hands its <see cref="IActivationRows"/> to <see cref="ApplyAsync"/>, and for a report streams the
/// join rows <see cref="Scope"/> names into <see cref="ReportAsync"/> (and, with the invite views, into <see cref="FunnelAsync"/>).
/// </summary>
/// <remarks>
/// The rows: every event id applied (for idempotence and the duplicate count); every qualifying and every order
/// instant of each (group, member) pair (a late join needs the activity that came before it); the invite views (the
/// funnel's attract step); and one row per <c>joined</c> event with its channel, exclusion, attribution, whether it
/// is its pair's first join (rule 2, <c>first</c>), the first qualifying instant within its window and the first
/// order after it, as far as known (minimums, lowered as late events arrive). A window
/// is over once <c>asOf &gt;= joinAt + W</c>, and every event of it is then before <c>asOf</c>: so the join's outcome
/// as of any instant follows from its row alone (<see cref="JoinActivation.Outcome"/>), for either rejoin policy.
/// </remarks>
internal sealed class ActivationProjectionRules
{
    private readonly int _qualifyingMask;

    /// <summary>Rules for window <paramref name="window"/> and qualifying types <paramref name="qualifyingTypes"/>.</summary>
    /// <exception cref="ArgumentException">The window is not positive or the types are not a valid <c>Q</c> (as <see cref="ActivationQuery.Validate"/>).</exception>
    public ActivationProjectionRules(TimeSpan window, IReadOnlyCollection<EventType> qualifyingTypes)
    {
        ArgumentNullException.ThrowIfNull(qualifyingTypes);
        new ActivationQuery(DateTimeOffset.UnixEpoch) { Window = window, QualifyingTypes = qualifyingTypes }.Validate();
        Window = window;
        QualifyingTypes = [.. qualifyingTypes.Distinct().Order()];
        foreach (var type in QualifyingTypes)
        {
            _qualifyingMask |= 1 << (int)type;
        }

        Settings = string.Create(
            CultureInfo.InvariantCulture,
            $"window={window.Ticks};types={string.Join(",", QualifyingTypes.Select(t => t.ToWireName()).Order(StringComparer.Ordinal))}");
    }

    /// <summary>The window <c>W</c> the rows are kept for.</summary>
    public TimeSpan Window { get; }

    /// <summary>The qualifying types <c>Q</c> the rows are kept for.</summary>
    public IReadOnlyList<EventType> QualifyingTypes { get; }

    /// <summary>
    /// The parameters that shape the rows, as text a store keeps beside them: rows kept for other parameters answer
    /// wrongly, so a store refuses to use them (<see cref="EnsureSameSettings"/>).
    /// </summary>
    public string Settings { get; }

    /// <summary>Throws when a store's kept settings are not these rules' (the rows would give wrong reports).</summary>
    /// <exception cref="InvalidOperationException">They differ.</exception>
    public void EnsureSameSettings(string kept)
    {
        if (!string.Equals(kept, Settings, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The activation projection's rows were kept for '{kept}', not for the configured '{Settings}' (the activation window or the"
                + " qualifying types changed). Its rows cannot answer for other settings: clear the projection's tables and re-apply the event log.");
        }
    }

    /// <summary>
    /// Applies one event to the rows, in the store's transaction: nothing but its id when it is neither a join nor a
    /// qualifying event; nothing but the duplicate count when its id was applied before.
    /// </summary>
    /// <returns><see langword="true"/> when the event was new; <see langword="false"/> for a duplicate id.</returns>
    public async ValueTask<bool> ApplyAsync(IActivationRows rows, CommunityEvent e, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(e);
        if (!await rows.TryRecordEventAsync(e.Id, cancellationToken).ConfigureAwait(false))
        {
            await rows.CountDuplicateAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (e.Type == EventType.InviteViewed)
        {
            // The funnel's attract step: a visitor (the event's member) who viewed a channel's invite.
            await rows.AddInviteViewAsync(e.Group, e.Member, e.Channel!, e.AtUtcTicks, cancellationToken).ConfigureAwait(false);
            return true;
        }

        var joins = e.Type == EventType.Joined;
        var qualifies = (_qualifyingMask & (1 << (int)e.Type)) != 0;
        var order = e.Type == EventType.Order;
        if (!joins && !qualifies && !order)
        {
            return true;
        }

        var window = Window.Ticks;
        var at = e.AtUtcTicks;
        var first = await rows.LockPairAsync(e.Group, e.Member, cancellationToken).ConfigureAwait(false);
        if (qualifies)
        {
            // Rule 5 read the other way: the joins this instant activates are those with at - W < joinAt <= at.
            await rows.AddActivityAsync(e.Group, e.Member, at, cancellationToken).ConfigureAwait(false);
            var earliestJoin = at < long.MinValue + window ? long.MinValue : at - window + 1;
            await rows.LowerFirstActivityAsync(e.Group, e.Member, earliestJoin, at, at, cancellationToken).ConfigureAwait(false);
        }

        if (order)
        {
            // The funnel's convert step: the first order at or after a join, at any later time.
            await rows.AddOrderAsync(e.Group, e.Member, at, cancellationToken).ConfigureAwait(false);
            await rows.LowerFirstOrderAsync(e.Group, e.Member, at, cancellationToken).ConfigureAwait(false);
        }

        if (joins)
        {
            var activity = await rows.FirstActivityAsync(e.Group, e.Member, at, JoinActivation.WindowEnd(at, window), cancellationToken).ConfigureAwait(false);
            var firstOrder = await rows.FirstOrderAsync(e.Group, e.Member, at, cancellationToken).ConfigureAwait(false);
            var isFirst = first is not { } current || JoinActivation.IsEarlier(at, e.Id, current.At, current.Id);
            var join = new ProjectedJoin(
                e.Id,
                e.Group,
                e.Member,
                at,
                e.Channel ?? JoinActivation.NoChannel,
                JoinActivation.IsExcluded(e.EffectiveRole),
                e.EffectiveAttribution,
                activity,
                firstOrder,
                isFirst);
            await rows.AddJoinAsync(join, cancellationToken).ConfigureAwait(false);
            if (isFirst)
            {
                await rows.SetFirstJoinAsync(e.Group, e.Member, first?.Id, e.Id, at, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>Checks a report's query against these rules: valid, and for the window and types the rows are kept for (any rejoin policy).</summary>
    /// <exception cref="ArgumentException">The query is invalid or asks for another window or other qualifying types.</exception>
    public void EnsureMatches(ActivationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        if (query.Window != Window)
        {
            throw new ArgumentException($"The query's Window {query.Window} differs from the activation projection's {Window}.", nameof(query));
        }

        var mask = 0;
        foreach (var type in query.QualifyingTypes)
        {
            mask |= 1 << (int)type;
        }

        if (mask != _qualifyingMask)
        {
            throw new ArgumentException("The query's QualifyingTypes differ from the activation projection's.", nameof(query));
        }
    }

    /// <summary>
    /// The join rows a report of <paramref name="query"/> reads: joins at or after <c>From</c> and before both
    /// <c>AsOf</c> and <c>To</c> (rules 1 and 3), only each pair's first with <see cref="RejoinPolicy.First"/> (rule 2).
    /// </summary>
    public static (long FromInclusive, long BeforeExclusive, bool FirstOnly) Scope(ActivationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var before = Math.Min(query.AsOf.UtcTicks, query.To?.UtcTicks ?? long.MaxValue);
        return (query.From?.UtcTicks ?? long.MinValue, before, query.Rejoin == RejoinPolicy.First);
    }

    /// <summary>The report of <paramref name="query"/> from the join rows of its <see cref="Scope"/> (any order).</summary>
    /// <param name="query">What to report (<see cref="EnsureMatches"/> first).</param>
    /// <param name="joins">The rows the scope names.</param>
    /// <param name="duplicates">The events the store ignored as duplicates.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public async Task<ActivationReport> ReportAsync(ActivationQuery query, IAsyncEnumerable<ReportedJoin> joins, long duplicates, CancellationToken cancellationToken)
    {
        EnsureMatches(query);
        ArgumentNullException.ThrowIfNull(joins);
        var (from, before, _) = Scope(query);
        var asOf = query.AsOf.UtcTicks;
        var window = Window.Ticks;
        var by = query.BreakdownBy;
        var tally = new ActivationTally(by != ActivationBreakdownBy.None);
        var names = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var days = by == ActivationBreakdownBy.Day ? new LocalDays(TimeZones.Find(query.TimeZoneId, nameof(query))) : null;
        await foreach (var join in joins.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (join.At < from || join.At >= before)
            {
                continue;
            }

            var key = 0;
            if (by != ActivationBreakdownBy.None)
            {
                var name = by switch
                {
                    ActivationBreakdownBy.Channel => join.Channel,
                    ActivationBreakdownBy.Group => join.Group,
                    _ => days!.KeyOf(join.At),
                };
                if (!index.TryGetValue(name, out key))
                {
                    key = names.Count;
                    index.Add(name, key);
                    names.Add(name);
                }
            }

            tally.Add(key, JoinActivation.Outcome(join.At, join.Excluded, join.FirstActivity ?? long.MaxValue, asOf, window), join.Attribution);
        }

        return tally.Build(query.AsOf, Window, duplicates, k => names[k]);
    }

    /// <summary>
    /// The funnel of <paramref name="query"/> (as <see cref="FunnelCalculator"/>) from the join rows of the scope of its
    /// activation query and the invite views in <c>[From, min(AsOf, To))</c> (any order).
    /// </summary>
    /// <param name="query">What to report; window and types must be the rules'.</param>
    /// <param name="joins">The join rows <see cref="Scope"/> names for <c>query.ToActivationQuery()</c>.</param>
    /// <param name="views">The distinct (group, visitor, channel) of the invite views in the range.</param>
    /// <param name="duplicates">The events the store ignored as duplicates.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public async Task<FunnelReport> FunnelAsync(FunnelQuery query, IAsyncEnumerable<ReportedJoin> joins, IAsyncEnumerable<InviteView> views, long duplicates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var activation = query.ToActivationQuery();
        EnsureMatches(activation);
        var (from, before, _) = Scope(activation);
        var asOf = query.AsOf.UtcTicks;
        var window = Window.Ticks;
        var rows = new Dictionary<string, FunnelTally>(StringComparer.Ordinal);
        var days = new Dictionary<string, FunnelTally>(StringComparer.Ordinal);
        var total = new FunnelTally();
        var calendar = new LocalDays(TimeZones.Find(query.TimeZoneId, nameof(query)));
        await foreach (var join in joins.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (join.At < from || join.At >= before)
            {
                continue;
            }

            var row = Tally(rows, query.By == ActivationBreakdownBy.Group ? join.Group : join.Channel);
            var day = Tally(days, calendar.KeyOf(join.At));
            if (join.Excluded)
            {
                row.Excluded++;
                day.Excluded++;
                total.Excluded++;
                continue;
            }

            var outcome = JoinActivation.Outcome(join.At, excluded: false, join.FirstActivity ?? long.MaxValue, asOf, window);
            var toActivate = outcome == JoinOutcome.Activated ? join.FirstActivity!.Value - join.At : -1;
            var toConvert = join.FirstOrder is { } o && o < asOf ? o - join.At : -1;
            row.Add(outcome == JoinOutcome.Pending, toActivate, toConvert);
            day.Add(outcome == JoinOutcome.Pending, toActivate, toConvert);
            total.Add(outcome == JoinOutcome.Pending, toActivate, toConvert);
        }

        var visitors = new Dictionary<string, HashSet<(string Group, string Visitor)>>(StringComparer.Ordinal);
        await foreach (var view in views.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var key = query.By == ActivationBreakdownBy.Group ? view.Group : view.Channel;
            if (!visitors.TryGetValue(key, out var set))
            {
                visitors[key] = set = [];
            }

            set.Add((view.Group, view.Visitor));
        }

        return FunnelTally.Report(
            query,
            duplicates,
            total,
            rows.Select(r => (r.Key, r.Value)),
            days.Select(d => (d.Key, d.Value)),
            visitors.ToDictionary(v => v.Key, v => (long)v.Value.Count, StringComparer.Ordinal));

        static FunnelTally Tally(Dictionary<string, FunnelTally> tallies, string key)
        {
            if (!tallies.TryGetValue(key, out var tally))
            {
                tallies[key] = tally = new FunnelTally();
            }

            return tally;
        }
    }

    /// <summary>
    /// The local day of an instant as the calculators key it: the date whose first instant (a zone's rules, as
    /// <see cref="LocalCalendar.StartOfDay"/>) is at or before it and whose next day's is after it.
    /// </summary>
    private sealed class LocalDays(TimeZoneInfo zone)
    {
        private readonly Dictionary<DateOnly, (long Start, long End, string Key)> _days = [];

        public string KeyOf(long utcTicks)
        {
            var date = LocalCalendar.LocalDate(utcTicks, zone);
            while (true)
            {
                var (start, end, key) = Day(date);
                if (utcTicks < start)
                {
                    date = date.AddDays(-1);
                }
                else if (utcTicks >= end)
                {
                    date = date.AddDays(1);
                }
                else
                {
                    return key;
                }
            }
        }

        private (long Start, long End, string Key) Day(DateOnly date)
        {
            if (!_days.TryGetValue(date, out var day))
            {
                day = (LocalCalendar.StartOfDay(date, zone).UtcTicks, LocalCalendar.StartOfDay(date.AddDays(1), zone).UtcTicks, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                _days.Add(date, day);
            }

            return day;
        }
    }
}

/// <summary>The first join of a (group, member) pair as kept (rule 2's order: instant, then ordinal id).</summary>
/// <param name="Id">The event id of the join.</param>
/// <param name="At">Its instant, UTC ticks.</param>
internal readonly record struct FirstJoin(string Id, long At);

/// <summary>One join row as written.</summary>
/// <param name="Id">The <c>joined</c> event's id (the row's key).</param>
/// <param name="Group">The group.</param>
/// <param name="Member">The member.</param>
/// <param name="At">The join instant, UTC ticks.</param>
/// <param name="Channel">The channel, <see cref="JoinActivation.NoChannel"/> when missing.</param>
/// <param name="Excluded">A join of staff or a bot.</param>
/// <param name="Attribution">How the channel was attributed.</param>
/// <param name="FirstActivity">The pair's first qualifying instant in <c>[At, At + W)</c> known so far, or <see langword="null"/>.</param>
/// <param name="FirstOrder">The pair's first <c>order</c> at or after <c>At</c> known so far, or <see langword="null"/>.</param>
/// <param name="IsFirst">Whether it is its pair's first join.</param>
internal readonly record struct ProjectedJoin(string Id, string Group, string Member, long At, string Channel, bool Excluded, ChannelAttribution Attribution, long? FirstActivity, long? FirstOrder, bool IsFirst);

/// <summary>What a report reads of a join row.</summary>
/// <param name="At">The join instant, UTC ticks.</param>
/// <param name="Group">The group.</param>
/// <param name="Channel">The channel, <see cref="JoinActivation.NoChannel"/> when missing.</param>
/// <param name="Excluded">A join of staff or a bot.</param>
/// <param name="Attribution">How the channel was attributed.</param>
/// <param name="FirstActivity">The first qualifying instant in the join's window, or <see langword="null"/>.</param>
/// <param name="FirstOrder">The first <c>order</c> at or after the join, or <see langword="null"/>.</param>
internal readonly record struct ReportedJoin(long At, string Group, string Channel, bool Excluded, ChannelAttribution Attribution, long? FirstActivity, long? FirstOrder);

/// <summary>A visitor who viewed a channel's invite in a group (<c>invite_viewed</c>), as a funnel reads it.</summary>
/// <param name="Group">The group.</param>
/// <param name="Visitor">The visitor id.</param>
/// <param name="Channel">The channel viewed.</param>
internal readonly record struct InviteView(string Group, string Visitor, string Channel);

/// <summary>
/// The row operations a store gives <see cref="ActivationProjectionRules.ApplyAsync"/>, all inside one transaction
/// of the store's (what one call writes is kept whole or not at all). Instants are UTC ticks.
/// </summary>
internal interface IActivationRows
{
    /// <summary>Records an event id; <see langword="false"/> when it was recorded before (then nothing else is written).</summary>
    ValueTask<bool> TryRecordEventAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Adds one to the count of duplicate events.</summary>
    ValueTask CountDuplicateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Locks the pair (creating its row), so that writers of the same pair take turns until the transaction ends, and
    /// reads its first join, or <see langword="null"/> when it has none.
    /// </summary>
    ValueTask<FirstJoin?> LockPairAsync(string group, string member, CancellationToken cancellationToken);

    /// <summary>Keeps a qualifying instant of the pair (an instant kept already stays one).</summary>
    ValueTask AddActivityAsync(string group, string member, long at, CancellationToken cancellationToken);

    /// <summary>The pair's first kept qualifying instant in [<paramref name="fromInclusive"/>, <paramref name="toExclusive"/>), or <see langword="null"/>.</summary>
    ValueTask<long?> FirstActivityAsync(string group, string member, long fromInclusive, long toExclusive, CancellationToken cancellationToken);

    /// <summary>For the pair's joins at [<paramref name="joinFromInclusive"/>, <paramref name="joinToInclusive"/>]: first activity = the smaller of it and <paramref name="at"/>.</summary>
    ValueTask LowerFirstActivityAsync(string group, string member, long joinFromInclusive, long joinToInclusive, long at, CancellationToken cancellationToken);

    /// <summary>Keeps an order instant of the pair (an instant kept already stays one).</summary>
    ValueTask AddOrderAsync(string group, string member, long at, CancellationToken cancellationToken);

    /// <summary>The pair's first kept order instant at or after <paramref name="fromInclusive"/>, or <see langword="null"/>.</summary>
    ValueTask<long?> FirstOrderAsync(string group, string member, long fromInclusive, CancellationToken cancellationToken);

    /// <summary>For the pair's joins at or before <paramref name="at"/>: first order = the smaller of it and <paramref name="at"/>.</summary>
    ValueTask LowerFirstOrderAsync(string group, string member, long at, CancellationToken cancellationToken);

    /// <summary>Keeps an invite view (one already kept stays one).</summary>
    ValueTask AddInviteViewAsync(string group, string visitor, string channel, long at, CancellationToken cancellationToken);

    /// <summary>Writes a join row (its id is new: <see cref="TryRecordEventAsync"/> said so).</summary>
    ValueTask AddJoinAsync(ProjectedJoin join, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="newId"/> the pair's first join: the pair row's, and the join rows' flags (<paramref name="previousId"/>'s cleared).</summary>
    ValueTask SetFirstJoinAsync(string group, string member, string? previousId, string newId, long at, CancellationToken cancellationToken);
}
