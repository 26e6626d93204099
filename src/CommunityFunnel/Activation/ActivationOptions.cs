using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// Defaults of the activation reports a host gets from <see cref="IActivationReporter"/>. The window and the time
/// zone come from <see cref="CommunityFunnelOptions"/>. Validated when the host starts.
/// </summary>
public sealed class ActivationOptions
{
    /// <summary>The rejoin policy. Default <see cref="RejoinPolicy.First"/>.</summary>
    public RejoinPolicy Rejoin { get; set; } = RejoinPolicy.First;

    /// <summary>The qualifying types <c>Q</c>. Default <see cref="QualifyingActivity.DefaultTypes"/>; must not be empty.</summary>
    public IList<EventType> QualifyingTypes { get; } = [.. QualifyingActivity.DefaultTypes];
}
