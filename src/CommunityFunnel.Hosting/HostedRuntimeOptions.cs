namespace CommunityFunnel.Hosting;

/// <summary>Options of the hosted runtime (<c>AddHostedRuntime</c>), validated when the host starts.</summary>
public sealed class HostedRuntimeOptions
{
    /// <summary>Whether the scheduler runs in this host (default <c>true</c>). Off: only the intake is registered.</summary>
    public bool RunScheduler { get; set; } = true;

    /// <summary>
    /// How often the scheduler advances lifecycle deadlines and draw schedules (default one minute; at least one second,
    /// at most one day). A deadline fires at most this late.
    /// </summary>
    public TimeSpan SchedulerPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an event may stay stored but not applied before the scheduler applies it (default one minute; from one
    /// second to one day). That happens when an instance stops (crash, kill, deploy) between storing an event and
    /// applying it; a resubmission of the event is a duplicate, so without this it would never be applied. Keep it well
    /// above the time an apply takes, so the recovery does not race a live instance's apply (a race is harmless: both
    /// apply, the effects happen once).
    /// </summary>
    public TimeSpan RecoveryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Draws whose schedule the scheduler advances on every tick (<c>IDrawService.AdvanceAsync</c>: close when due,
    /// fetch the entropy, draw), whether due or not. With a draw store that has a due-time index (<c>IDrawDueIndex</c>:
    /// the in-memory, SQLite and PostgreSQL ones) every due draw is advanced without being listed; list a draw here only
    /// for a store of your own without one, or a draw that closes at a number of entries and waits for its entropy.
    /// </summary>
    public IList<string> Draws { get; } = [];

    /// <summary>The action outbox: on by default.</summary>
    public OutboxOptions Outbox { get; } = new();

    /// <summary>The limits of the health report (<see cref="IRuntimeHealth"/>).</summary>
    public RuntimeHealthOptions Health { get; } = new();
}
