using System.Runtime.InteropServices;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// Maps the memory of a new large table by writing to it. A fresh page that is read first is mapped to the shared
/// zero page and faults a second time when written (copy on write); that second fault flushes the page from the
/// TLB of every core running a thread of this process, by interrupting them, which slows down a second thread
/// working alongside (as the activation engine's id check does). One write a page maps it once, with no flush.
/// </summary>
internal static class FreshPages
{
    private const int PageSize = 4096;

    /// <summary>Below this size a table's pages are left to the first access (too few to matter).</summary>
    private const int MinBytes = 1 << 20;

    /// <summary>Allocates a zeroed array of <paramref name="length"/> items whose pages are already mapped when it is large.</summary>
    public static T[] Allocate<T>(int length)
        where T : struct
    {
        var array = new T[length];
        var bytes = MemoryMarshal.AsBytes(array.AsSpan());
        if (bytes.Length >= MinBytes)
        {
            for (var i = 0; i < bytes.Length; i += PageSize)
            {
                bytes[i] = 0;
            }
        }

        return array;
    }
}
