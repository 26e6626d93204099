using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// A hint to the processor to start loading a cache line that will be read soon, so that the misses of a run of
/// independent table probes overlap instead of following one another. A prefetch never faults and changes nothing
/// but timing (an address gone stale because the GC moved the array is only a wasted hint); where the instruction
/// is not available the call does nothing.
/// </summary>
internal static class Prefetch
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Read<T>(ref T item)
    {
        if (Sse.IsSupported && MemoryHelpers.Prefetch)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref item));
        }
    }
}
