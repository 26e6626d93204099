using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Cli.Lifecycle;

/// <summary>
/// Replays an event log through the lifecycle as of an instant: events at or after it are ignored (what was
/// known then), the rest are applied in time order (ties by id) with every deadline before each event processed
/// first, and finally every deadline before the as-of instant.
/// </summary>
internal sealed class LifecycleReplay
{
    private LifecycleReplay(MemberLifecycleEngine engine, List<MemberAction> actions, long events, long ignored, EventOrderStatistics ordering)
    {
        Ordering = ordering;
        Engine = engine;
        Actions = actions;
        Events = events;
        IgnoredAfterAsOf = ignored;
    }

    public MemberLifecycleEngine Engine { get; }

    public List<MemberAction> Actions { get; }

    public long Events { get; }

    public long IgnoredAfterAsOf { get; }

    /// <summary>What putting the events into time order took.</summary>
    public EventOrderStatistics Ordering { get; }

    /// <summary>
    /// Replays <paramref name="source"/> (read once, in any order) as of <paramref name="asOf"/>. The events are put
    /// into time order within <paramref name="ordering"/>'s memory budget (sorted runs beyond it go to temporary
    /// files), so memory grows with the members, not with the log.
    /// </summary>
    public static LifecycleReplay Run(IEnumerable<CommunityEvent> source, LifecycleOptions options, DateTimeOffset asOf, EventOrderOptions? ordering = null)
    {
        var zoneId = options.TimeZoneId ?? "Asia/Shanghai";
        TimeZones.Find(zoneId, "--policy timeZone"); // an unknown zone is named as the CLI knows it
        var order = new EventTimeOrder(ordering);
        var actions = new List<MemberAction>();
        var shared = new CommunityFunnelOptions { TimeZoneId = zoneId, ActivationWindow = TimeSpan.FromHours(24) };
        var engine = new MemberLifecycleEngine(options, shared) { ActionSink = actions.Add };
        var asOfTicks = asOf.UtcTicks;
        long ignored = 0;
        long events = 0;

        IEnumerable<CommunityEvent> Before()
        {
            foreach (var e in source)
            {
                if (e.AtUtcTicks < asOfTicks)
                {
                    yield return e;
                }
                else
                {
                    ignored++;
                }
            }
        }

        // In time order, ties by id (then by arrival).
        foreach (var e in order.Order(Before()))
        {
            engine.AdvanceTo(e.At);
            engine.Apply(e);
            events++;
        }

        if (asOfTicks > 0)
        {
            engine.AdvanceTo(new DateTimeOffset(asOfTicks - 1, TimeSpan.Zero)); // every deadline before --as-of
        }
        return new LifecycleReplay(engine, actions, events, ignored, order.Statistics);
    }

    /// <summary>Every member, ordered by group then member id.</summary>
    public List<MemberRecord> Members()
    {
        var list = new List<MemberRecord>(Engine.Members());

        list.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Group, b.Group);
            return c != 0 ? c : string.CompareOrdinal(a.Member, b.Member);
        });
        return list;
    }
}
