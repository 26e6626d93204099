using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using CommunityFunnel.Fingerprints;

namespace CommunityFunnel.Benchmarks;

/// <summary>
/// What exact identity costs per id: the fingerprint of the ids of the simulator's month (member ids and event ids,
/// as the tables hash them) with SipHash-2-4-128, the keyed PRF the tables use now, against the multiply-rotate mix
/// it replaced (kept here only as the baseline).
/// </summary>
public class FingerprintBenchmarks
{
    private string[] _ids = [];
    private ulong _k0;
    private ulong _k1;

    [GlobalSetup]
    public void Setup()
    {
        var events = RewardsBenchmarkData.Simulated(200_000, seed: 3);
        _ids = [.. events.Select(e => e.Member), .. events.Select(e => e.Id)];
        (_k0, _k1) = FingerprintTable.NewKey();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 400_000)]
    public ulong MultiplyRotate_Replaced()
    {
        var x = 0UL;
        foreach (var id in _ids)
        {
            x ^= ReplacedFingerprint.Compute(_k0, _k1, 0, id).Lo;
        }

        return x;
    }

    [Benchmark(OperationsPerInvoke = 400_000)]
    public ulong SipHash128()
    {
        var x = 0UL;
        foreach (var id in _ids)
        {
            x ^= FingerprintTable.Compute(_k0, _k1, 0, id).Lo;
        }

        return x;
    }
}

/// <summary>The fingerprint the tables used before SipHash-2-4-128 (a home-made keyed multiply-rotate mix): the baseline only.</summary>
internal static class ReplacedFingerprint
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong Hi, ulong Lo) Compute(ulong k0, ulong k1, ulong prefix, ReadOnlySpan<char> text)
    {
        unchecked
        {
            var bytes = MemoryMarshal.AsBytes(text);
            var a = k0 ^ 0x9E3779B97F4A7C15UL ^ (ulong)bytes.Length ^ (prefix * 0xD6E8FEB86659FD93UL);
            var b = k1 ^ 0xC2B2AE3D27D4EB4FUL ^ ((ulong)bytes.Length << 32) ^ prefix;
            while (bytes.Length >= 8)
            {
                var w = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                a = Mix(a ^ w, 0xFF51AFD7ED558CCDUL);
                b = Mix(b ^ BitOperations.RotateLeft(w, 29), 0xC4CEB9FE1A85EC53UL);
                bytes = bytes[8..];
            }

            ulong tail = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                tail |= (ulong)bytes[i] << (8 * i);
            }

            a = Mix(a ^ tail ^ 0x1UL, 0xFF51AFD7ED558CCDUL);
            b = Mix(b ^ BitOperations.RotateLeft(tail, 29) ^ 0x2UL, 0xC4CEB9FE1A85EC53UL);
            var hi = Final(a ^ BitOperations.RotateLeft(b, 17));
            var lo = Final(b ^ BitOperations.RotateLeft(a, 41));
            return (hi, lo | 1); // 0 marks an empty slot.
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x, ulong m)
    {
        unchecked
        {
            x *= m;
            return BitOperations.RotateLeft(x, 31) * 0x9FB21C651E98DF25UL;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Final(ulong x)
    {
        unchecked
        {
            x ^= x >> 33;
            x *= 0xFF51AFD7ED558CCDUL;
            x ^= x >> 33;
            x *= 0xC4CEB9FE1A85EC53UL;
            x ^= x >> 33;
            return x;
        }
    }
}
