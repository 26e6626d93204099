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
    /// The draws whose schedule the scheduler advances on each tick (<c>IDrawService.AdvanceAsync</c>: close when due,
    /// fetch the entropy, draw). A draw not listed is advanced only by the host's own calls.
    /// </summary>
    public IList<string> Draws { get; } = [];

    /// <summary>The action outbox: on by default.</summary>
    public OutboxOptions Outbox { get; } = new();
}
