using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// Takes events as they happen, in any order, and answers the activation rate at any <c>asOf</c> with the same
/// numbers as <see cref="ActivationCalculator"/> over the same events. The window, rejoin policy and qualifying
/// types are fixed when it is created; the cohort range, breakdown and time zone are chosen per report.
/// </summary>
/// <remarks>
/// State: one 20-byte record per join (and, with <see cref="RejoinPolicy.First"/>, a reference to its id); per
/// (group, member) pair with a join or a qualifying event a 32-byte entry, a 24-byte table slot and its qualifying
/// instants (8 bytes each), thinned so that at most about two per window of time are kept; and a 16-byte
/// fingerprint per distinct event id (in a table at most two thirds full) to recognise duplicates; with
/// <see cref="Post"/>, up to <see cref="PostBatchLength"/> events held until they are added. Not thread-safe:
/// callers that add from several threads must serialise access.
/// </remarks>
public sealed class StreamingActivationCalculator
{
    /// <summary>How many events <see cref="Post"/> holds before it adds them as one batch (65 536).</summary>
    public static int PostBatchLength => 1 << 16;

    private readonly ActivationEngine _engine;
    private CommunityEvent[]? _posted;
    private int _postedCount;

    /// <summary>Creates a calculator with the parameters that shape its state.</summary>
    /// <param name="window">The activation window <c>W</c>; default 24 hours.</param>
    /// <param name="rejoin">The rejoin policy; default <see cref="RejoinPolicy.First"/>.</param>
    /// <param name="qualifyingTypes">The qualifying types <c>Q</c>; default <see cref="QualifyingActivity.DefaultTypes"/>.</param>
    /// <param name="expectedEvents">
    /// How many events the host expects, if it knows: the tables are sized for them up front instead of being
    /// rebuilt as they grow (they still grow past it). Default 0: start small.
    /// </param>
    /// <exception cref="ArgumentException">The window is not positive, the policy undefined or <c>Q</c> empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedEvents"/> is negative.</exception>
    public StreamingActivationCalculator(TimeSpan? window = null, RejoinPolicy rejoin = RejoinPolicy.First, IReadOnlyCollection<EventType>? qualifyingTypes = null, int expectedEvents = 0)
    {
        Window = window ?? TimeSpan.FromHours(24);
        Rejoin = rejoin;
        QualifyingTypes = qualifyingTypes ?? QualifyingActivity.DefaultTypes;
        new ActivationQuery(DateTimeOffset.UnixEpoch) { Window = Window, Rejoin = rejoin, QualifyingTypes = QualifyingTypes }.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(expectedEvents);
        _engine = new ActivationEngine(Window, rejoin, QualifyingTypes, compact: true, trackOrders: false, expectedEvents);
    }

    /// <summary>The activation window <c>W</c>.</summary>
    public TimeSpan Window { get; }

    /// <summary>The rejoin policy.</summary>
    public RejoinPolicy Rejoin { get; }

    /// <summary>The qualifying types <c>Q</c>.</summary>
    public IReadOnlyCollection<EventType> QualifyingTypes { get; }

    /// <summary>Events taken so far (duplicates not included); posted events are added first.</summary>
    public long Events => Flushed().Events;

    /// <summary>Events ignored because their id had been seen before; posted events are added first.</summary>
    public long Duplicates => Flushed().Duplicates;

    /// <summary>Joins recorded so far (with <see cref="RejoinPolicy.First"/>, one per pair); posted events are added first.</summary>
    public int Joins => Flushed().JoinCount;

    /// <summary>Takes one event; returns <see langword="false"/> when its id was seen before (it is then ignored and counted).</summary>
    /// <param name="communityEvent">The event.</param>
    /// <remarks>Events given to <see cref="Post"/> before are added first.</remarks>
    public bool Add(CommunityEvent communityEvent)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        Flush();
        if (!_engine.Seen(communityEvent))
        {
            return false;
        }

        _engine.AddUnseen(communityEvent);
        return true;
    }

    /// <summary>
    /// Takes events in order, with exactly the result of <see cref="Add"/> on each in turn, but faster for large
    /// batches (thousands of events or more): their ids are checked in chunks, with the id table's memory requested
    /// ahead, on a thread-pool thread a chunk ahead of the calling thread, which meanwhile adds the state of the
    /// chunks already checked. The call returns when all of it is done.
    /// </summary>
    /// <param name="events">The events.</param>
    /// <returns>How many were taken (not duplicates).</returns>
    /// <exception cref="ArgumentException">An element is null; nothing is taken then.</exception>
    /// <remarks>Events given to <see cref="Post"/> before are added first.</remarks>
    public int AddRange(ReadOnlySpan<CommunityEvent> events)
    {
        EventBatch.ThrowIfAnyNull(events, nameof(events));
        Flush();
        return AddRun(events);
    }

    /// <summary>
    /// Takes one event without saying whether it was a duplicate: events are held and added
    /// <see cref="PostBatchLength"/> at a time as by <see cref="AddRange"/>, so a host that receives events one by
    /// one gets the speed of batches. Everything else sees them in order: a report, the counts, <see cref="Add"/>
    /// and <see cref="AddRange"/> add the events held first, as does <see cref="Flush"/>. The events held are kept
    /// alive until then (at most <see cref="PostBatchLength"/>, in a 512 KB array allocated on first use).
    /// </summary>
    /// <param name="communityEvent">The event.</param>
    /// <exception cref="ArgumentNullException"><paramref name="communityEvent"/> is null.</exception>
    public void Post(CommunityEvent communityEvent)
    {
        ArgumentNullException.ThrowIfNull(communityEvent);
        var posted = _posted ??= new CommunityEvent[PostBatchLength];
        posted[_postedCount++] = communityEvent;
        if (_postedCount == posted.Length)
        {
            Flush();
        }
    }

    /// <summary>Adds the events held by <see cref="Post"/> now.</summary>
    /// <returns>How many of them were taken (not duplicates).</returns>
    public int Flush()
    {
        if (_postedCount == 0)
        {
            return 0;
        }

        var count = _postedCount;
        _postedCount = 0;
        try
        {
            return AddRun(_posted.AsSpan(0, count));
        }
        finally
        {
            Array.Clear(_posted!, 0, count);
        }
    }

    private int AddRun(ReadOnlySpan<CommunityEvent> events)
    {
        var before = _engine.Events;
        _engine.AddRun(events, long.MaxValue);
        return checked((int)(_engine.Events - before));
    }

    private ActivationEngine Flushed()
    {
        Flush();
        return _engine;
    }

    /// <summary>
    /// The report at <c>query.AsOf</c> (posted events added first). The query's window, rejoin policy and
    /// qualifying types must be this calculator's.
    /// </summary>
    /// <param name="query">What to report.</param>
    /// <exception cref="ArgumentException">The query is invalid or does not match this calculator.</exception>
    public ActivationReport GetReport(ActivationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ActivationReportBuilder.Build(Flushed(), query);
    }

    /// <summary>The totals at <paramref name="asOf"/>, without a breakdown.</summary>
    /// <param name="asOf">Events at or after this instant are ignored.</param>
    public ActivationReport GetReport(DateTimeOffset asOf) =>
        GetReport(new ActivationQuery(asOf) { Window = Window, Rejoin = Rejoin, QualifyingTypes = QualifyingTypes });
}
