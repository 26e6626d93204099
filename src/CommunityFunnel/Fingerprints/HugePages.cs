using System.Runtime.InteropServices;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// Asks Linux to back a range of memory with transparent huge pages (<c>madvise(MADV_HUGEPAGE)</c>): a hint that
/// changes nothing but speed. On other systems, or once the call has failed to bind, it is not made again.
/// </summary>
internal static class HugePages
{
    private const int MadvHugePage = 14;
    private const long HugePageSize = 2 << 20;
    private static volatile bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>Whether the hint can be given here (Linux, with the C library call bound).</summary>
    public static bool Available => !s_unavailable;

    /// <summary>Gives the hint for the whole 2 MB pages inside <paramref name="memory"/>, which must be pinned.</summary>
    public static unsafe void Advise(Span<byte> memory)
    {
        fixed (byte* start = memory)
        {
            var from = ((long)start + HugePageSize - 1) & ~(HugePageSize - 1);
            var to = ((long)start + memory.Length) & ~(HugePageSize - 1);
            if (to <= from)
            {
                return;
            }

            try
            {
                // A refusal (a kernel without transparent huge pages) only leaves ordinary pages.
                _ = Madvise((void*)from, (nuint)(to - from), MadvHugePage);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_unavailable = true;
            }
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern unsafe int Madvise(void* address, nuint length, int advice);
}
