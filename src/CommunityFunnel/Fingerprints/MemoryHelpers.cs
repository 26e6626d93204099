namespace CommunityFunnel.Fingerprints;

/// <summary>
/// Switches for the low-level memory helpers (<see cref="FreshPages"/>: pinned arrays offered 2 MB pages and pages
/// written when allocated; <see cref="Prefetch"/>: cache-line hints), all on by default. They change only timing,
/// never a result; the benchmarks turn them off one at a time (<c>MemoryHelpersBenchmarks</c>) to show what each
/// pays on the simulator's time-ordered logs.
/// </summary>
internal static class MemoryHelpers
{
    /// <summary>Arrays of 4 MB or more are pinned and offered 2 MB pages on Linux.</summary>
    internal static bool HugePages { get; set; } = true;

    /// <summary>Arrays of 1 MB or more have every page written when allocated (one fault each, up front).</summary>
    internal static bool PreTouch { get; set; } = true;

    /// <summary>Table probes ask for their cache lines ahead.</summary>
    internal static bool Prefetch { get; set; } = true;
}
