using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CommunityFunnel.Events;

/// <summary>
/// A set of event ids kept as keyed 128-bit fingerprints (16 bytes an id instead of the whole string).
/// The key is random per set, so no input can be crafted to collide; an accidental collision among 10^9 ids
/// has a probability below 10^-20.
/// </summary>
internal sealed class IdFingerprintSet
{
    private readonly HashSet<Fingerprint> _seen = [];
    private readonly ulong _k0;
    private readonly ulong _k1;

    public IdFingerprintSet()
    {
        Span<byte> key = stackalloc byte[16];
        RandomNumberGenerator.Fill(key);
        _k0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
        _k1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
    }

    public int Count => _seen.Count;

    /// <summary>Adds <paramref name="id"/>; <see langword="false"/> when it was already there.</summary>
    public bool Add(string id) => _seen.Add(Compute(id));

    private Fingerprint Compute(string id)
    {
        var bytes = MemoryMarshal.AsBytes(id.AsSpan());
        ulong a = _k0 ^ 0x9E3779B97F4A7C15UL ^ (ulong)bytes.Length;
        ulong b = _k1 ^ 0xC2B2AE3D27D4EB4FUL ^ ((ulong)bytes.Length << 32);
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
        return new Fingerprint(Final(a ^ BitOperations.RotateLeft(b, 17)), Final(b ^ BitOperations.RotateLeft(a, 41)));
    }

    private static ulong Mix(ulong x, ulong m)
    {
        unchecked
        {
            x *= m;
            return BitOperations.RotateLeft(x, 31) * 0x9FB21C651E98DF25UL;
        }
    }

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

    private readonly record struct Fingerprint(ulong High, ulong Low);
}
