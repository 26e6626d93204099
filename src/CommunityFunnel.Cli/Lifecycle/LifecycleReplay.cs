using CommunityFunnel.Events;
using CommunityFunnel.Members;

namespace CommunityFunnel.Cli.Lifecycle;

/// <summary>
/// Replays an event log through the lifecycle as of an instant: events at or after it are ignored (what was
/// known then), the rest are applied in time order (ties by id) with every deadline before each event processed
/// first, and finally every deadline before the as-of instant. The actions go to a <see cref="LifecycleActionLog"/>
/// as they are decided.
/// </summary>
internal sealed class LifecycleReplay
{
    private LifecycleReplay(MemberLifecycleEngine engine, long events, long ignored, EventOrderStatistics ordering)
    {
        Ordering = ordering;
        Engine = engine;
        Events = events;
        IgnoredAfterAsOf = ignored;
    }

    public MemberLifecycleEngine Engine { get; }

    public long Events { get; }

    public long IgnoredAfterAsOf { get; }

    /// <summary>What putting the events into time order took.</summary>
    public EventOrderStatistics Ordering { get; }

    /// <summary>
    /// Replays <paramref name="source"/> (read once, in any order) as of <paramref name="asOf"/>. The events are put
    /// into time order within <paramref name="ordering"/>'s memory budget (sorted runs beyond it go to temporary
    /// files), so memory grows with the members, not with the log; nothing is applied before the last line is read.
    /// Without <paramref name="actions"/> the actions are only counted.
    /// </summary>
    public static LifecycleReplay Run(IEnumerable<CommunityEvent> source, LifecycleOptions options, DateTimeOffset asOf, EventOrderOptions? ordering = null, LifecycleActionLog? actions = null)
    {
        var order = new EventTimeOrder(ordering);
        var pass = new Pass(options, asOf, actions ?? new LifecycleActionLog(keep: false));
        pass.Apply(order.Order(pass.Before(source)));
        return pass.Finish(order.Statistics);
    }

    /// <summary>
    /// As <see cref="Run"/>, from a log <paramref name="open"/> can read again: events are applied as they leave the
    /// ordering's buffer, nothing goes to temporary files, and the actions reach <paramref name="actions"/> as they
    /// are decided. If the log turns out further out of order than the buffer holds, the replay starts over from
    /// nothing (<paramref name="actions"/> restarted, the log opened again) and orders through sorted runs.
    /// </summary>
    public static LifecycleReplay RunStreaming(Func<IEnumerable<CommunityEvent>> open, LifecycleOptions options, DateTimeOffset asOf, EventOrderOptions? ordering, LifecycleActionLog actions)
    {
        var order = new EventTimeOrder(ordering);
        var pass = new Pass(options, asOf, actions);
        pass.Apply(order.OrderWithinWindow(pass.Before(open())));
        if (order.WindowExceeded)
        {
            actions.Restart();
            pass = new Pass(options, asOf, actions);
            pass.Apply(order.Order(pass.Before(open())));
        }

        return pass.Finish(order.Statistics);
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

    /// <summary>One replay from nothing: the engine, the as-of filter and the counts.</summary>
    private sealed class Pass
    {
        private readonly MemberLifecycleEngine _engine;
        private readonly long _asOfTicks;
        private long _ignored;
        private long _events;

        public Pass(LifecycleOptions options, DateTimeOffset asOf, LifecycleActionLog actions)
        {
            var zoneId = options.TimeZoneId ?? "Asia/Shanghai";
            TimeZones.Find(zoneId, "--policy timeZone"); // an unknown zone is named as the CLI knows it
            var shared = new CommunityFunnelOptions { TimeZoneId = zoneId, ActivationWindow = TimeSpan.FromHours(24) };
            _engine = new MemberLifecycleEngine(options, shared) { ActionSink = actions.Add };
            _asOfTicks = asOf.UtcTicks;
        }

        public IEnumerable<CommunityEvent> Before(IEnumerable<CommunityEvent> source)
        {
            foreach (var e in source)
            {
                if (e.AtUtcTicks < _asOfTicks)
                {
                    yield return e;
                }
                else
                {
                    _ignored++;
                }
            }
        }

        /// <summary>Applies events given in time order (ties by id, then by arrival).</summary>
        public void Apply(IEnumerable<CommunityEvent> ordered)
        {
            foreach (var e in ordered)
            {
                _engine.AdvanceTo(e.At);
                _engine.Apply(e);
                _events++;
            }
        }

        public LifecycleReplay Finish(EventOrderStatistics ordering)
        {
            if (_asOfTicks > 0)
            {
                _engine.AdvanceTo(new DateTimeOffset(_asOfTicks - 1, TimeSpan.Zero)); // every deadline before --as-of
            }

            return new LifecycleReplay(_engine, _events, _ignored, ordering);
        }
    }
}
