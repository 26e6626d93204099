using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CommunityFunnel.Fingerprints;

/// <summary>
/// SipHash-2-4 with its 128-bit output (Aumasson and Bernstein, "SipHash: a fast short-input PRF", and the reference
/// implementation's <c>vectors_sip128</c>, which the tests check): a keyed pseudorandom function, so that with a
/// secret random key no one who chooses the inputs, however many, can make two of them collide more often than
/// chance. The fingerprint tables hash (prefix, text) as the message <c>prefix (8 bytes, little-endian) ‖ the text's
/// UTF-16LE bytes</c>, which is injective.
/// </summary>
internal static class SipHash128
{
    /// <summary>SipHash-2-4-128 of <paramref name="message"/> under the key (<paramref name="k0"/>, <paramref name="k1"/>), as two little-endian words.</summary>
    public static (ulong First, ulong Second) Hash(ulong k0, ulong k1, ReadOnlySpan<byte> message) => Hash(k0, k1, null, message);

    /// <summary>As <see cref="Hash(ulong, ulong, ReadOnlySpan{byte})"/> of the message <c>prefix (8 bytes, little-endian) ‖ text (UTF-16LE)</c>, without building it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong First, ulong Second) Hash(ulong k0, ulong k1, ulong prefix, ReadOnlySpan<char> text) =>
        Hash(k0, k1, prefix, MemoryMarshal.AsBytes(text));

    /// <summary>The hash of <c>[first word] ‖ rest</c>; the state stays in locals (registers) throughout.</summary>
    private static (ulong First, ulong Second) Hash(ulong k0, ulong k1, ulong? first, ReadOnlySpan<byte> rest)
    {
        unchecked
        {
            var v0 = k0 ^ 0x736f6d6570736575UL;
            var v1 = k1 ^ 0x646f72616e646f6dUL ^ 0xee; // 0xee: the 128-bit output variant
            var v2 = k0 ^ 0x6c7967656e657261UL;
            var v3 = k1 ^ 0x7465646279746573UL;
            var length = rest.Length;
            if (first is { } m0)
            {
                length += 8;
                v3 ^= m0;
                Round(ref v0, ref v1, ref v2, ref v3);
                Round(ref v0, ref v1, ref v2, ref v3);
                v0 ^= m0;
            }

            while (rest.Length >= 8)
            {
                var m = BinaryPrimitives.ReadUInt64LittleEndian(rest);
                v3 ^= m;
                Round(ref v0, ref v1, ref v2, ref v3);
                Round(ref v0, ref v1, ref v2, ref v3);
                v0 ^= m;
                rest = rest[8..];
            }

            var b = (ulong)(uint)length << 56;
            for (var i = 0; i < rest.Length; i++)
            {
                b |= (ulong)rest[i] << (8 * i);
            }

            v3 ^= b;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= b;
            v2 ^= 0xee;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            var out0 = v0 ^ v1 ^ v2 ^ v3;
            v1 ^= 0xdd;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            return (out0, v0 ^ v1 ^ v2 ^ v3);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        unchecked
        {
            v0 += v1;
            v1 = BitOperations.RotateLeft(v1, 13);
            v1 ^= v0;
            v0 = BitOperations.RotateLeft(v0, 32);
            v2 += v3;
            v3 = BitOperations.RotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = BitOperations.RotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = BitOperations.RotateLeft(v1, 17);
            v1 ^= v2;
            v2 = BitOperations.RotateLeft(v2, 32);
        }
    }
}
