using CommunityFunnel.Events;

namespace CommunityFunnel.Simulation;

/// <summary>Generates a realistic synthetic event log for a community of several groups.</summary>
public static class CommunitySimulator
{
    /// <summary>Streams the events of a simulated community, deterministic for <see cref="SimulationOptions.Seed"/>.</summary>
    public static IEnumerable<CommunityEvent> Generate(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [];
    }
}
