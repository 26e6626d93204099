namespace CommunityFunnel.Fingerprints;

/// <summary>
/// Switches for the low-level memory helpers (<see cref="FreshPages"/>: pages written when allocated;
/// <see cref="Prefetch"/>: cache-line hints), both on by default. They change only timing,
/// never a result; the benchmarks turn them off one at a time (<c>MemoryHelpersBenchmarks</c>) to show what each
/// pays on the simulator's time-ordered logs.
/// </summary>
internal static class MemoryHelpers
{
    /// <summary>Arrays of 1 MB or more have every page written when allocated (one fault each, up front).</summary>
    internal static bool PreTouch { get; set; } = true;

    /// <summary>Table probes ask for their cache lines ahead.</summary>
    internal static bool Prefetch { get; set; } = true;
}
