namespace CommunityFunnel.Members;

/// <summary>The lifecycle policies: one per group, with a default for groups not listed. Validated when the host starts.</summary>
public sealed class LifecycleOptions
{
    /// <summary>The policy of every group not in <see cref="Groups"/>.</summary>
    public LifecyclePolicy DefaultPolicy { get; set; } = new();

    /// <summary>Policies by group id.</summary>
    public IDictionary<string, LifecyclePolicy> Groups { get; } = new Dictionary<string, LifecyclePolicy>(StringComparer.Ordinal);

    /// <summary>
    /// The IANA time zone whose days "speak every N days" counts. <see langword="null"/> (default): the shared
    /// <see cref="CommunityFunnelOptions.TimeZoneId"/>.
    /// </summary>
    public string? TimeZoneId { get; set; }

    /// <summary>
    /// Whether decided actions go through the action outbox: written with the state change that decided them (one
    /// transaction) and delivered to the <see cref="IMemberActionHandler"/>s at least once by a dispatcher (the hosted
    /// runtime's), instead of being handed to them on the caller's flow after the save. Off by default; the hosted
    /// runtime turns it on. Needs a member store with an outbox (the in-memory, SQLite and PostgreSQL ones).
    /// </summary>
    public bool UseOutbox { get; set; }

    /// <summary>
    /// How long a due deadline claimed from the member store's due-time index (<see cref="IMemberDeadlineIndex"/>) is
    /// this instance's alone (default one minute; more than zero, at most one day). An instance that dies holding
    /// claims delays those deadlines by at most this long: then another instance claims them.
    /// </summary>
    public TimeSpan DeadlineLeaseTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The policy that applies to <paramref name="group"/>.</summary>
    public LifecyclePolicy PolicyFor(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Groups.TryGetValue(group, out var policy) ? policy : DefaultPolicy;
    }
}
