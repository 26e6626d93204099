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

    /// <summary>The policy that applies to <paramref name="group"/>.</summary>
    public LifecyclePolicy PolicyFor(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return Groups.TryGetValue(group, out var policy) ? policy : DefaultPolicy;
    }
}
