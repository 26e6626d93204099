using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// How many joins were attributed to their channel exactly, by inference, or not at all (see
/// <see cref="CommunityEvent.EffectiveAttribution"/>): how far a channel's numbers can be trusted.
/// </summary>
/// <param name="Exact">Joins whose channel the platform named.</param>
/// <param name="Inferred">Joins whose channel was deduced (e.g. from invite use counts).</param>
/// <param name="Unknown">Joins with no known channel.</param>
public sealed record JoinAttributionCounts(long Exact, long Inferred, long Unknown)
{
    /// <summary>All joins counted: <see cref="Exact"/> + <see cref="Inferred"/> + <see cref="Unknown"/>.</summary>
    public long Total => Exact + Inferred + Unknown;
}
