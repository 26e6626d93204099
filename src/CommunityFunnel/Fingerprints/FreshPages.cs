using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// Allocates the large arrays behind the engines' tables so that their memory is mapped cheaply, once.
/// </summary>
/// <remarks>
/// A fresh page that is read first is mapped to the shared zero page and faults a second time when written (copy
/// on write); that second fault flushes the page from the TLB of every core running a thread of this process, by
/// interrupting them, which slows down a second thread working alongside (as the activation engine's id check
/// does). One write a page maps it once, with no flush. Measured (<c>MemoryHelpersBenchmarks</c>, the simulator's
/// month): without it the activation calculator takes about 40% longer. Asking Linux for 2 MB pages (pinned arrays,
/// <c>madvise</c>) was measured too, showed no gain on the same data, and was removed.
/// </remarks>
internal static class FreshPages
{
    private const int PageSize = 4096;

    /// <summary>Below this size a table's pages are left to the first access (too few to matter).</summary>
    private const int MinBytes = 1 << 20;

    /// <summary>Allocates a zeroed array of <paramref name="length"/> items whose pages are already mapped when it is large.</summary>
    public static T[] Allocate<T>(int length)
        where T : unmanaged
    {
        var bytes = (long)length * Unsafe.SizeOf<T>();
        var array = new T[length];

        if (bytes >= MinBytes && MemoryHelpers.PreTouch)
        {
            var span = MemoryMarshal.AsBytes(array.AsSpan());
            for (var i = 0; i < span.Length; i += PageSize)
            {
                span[i] = 0;
            }
        }

        return array;
    }

    /// <summary>As <see cref="Array.Resize{T}"/>, into an array from <see cref="Allocate{T}"/>.</summary>
    public static void Resize<T>(ref T[] array, int length)
        where T : unmanaged
    {
        var resized = Allocate<T>(length);
        array.AsSpan(0, Math.Min(array.Length, length)).CopyTo(resized);
        array = resized;
    }
}
