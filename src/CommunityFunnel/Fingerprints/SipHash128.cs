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
    public static (ulong First, ulong Second) Hash(ulong k0, ulong k1, ReadOnlySpan<byte> message)
    {
        var s = new State(k0, k1);
        var length = message.Length;
        while (message.Length >= 8)
        {
            s.Compress(BinaryPrimitives.ReadUInt64LittleEndian(message));
            message = message[8..];
        }

        return s.Finish(message, length);
    }

    /// <summary>As <see cref="Hash(ulong, ulong, ReadOnlySpan{byte})"/> of the message <c>prefix (8 bytes, little-endian) ‖ text (UTF-16LE)</c>, without building it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (ulong First, ulong Second) Hash(ulong k0, ulong k1, ulong prefix, ReadOnlySpan<char> text)
    {
        var s = new State(k0, k1);
        s.Compress(prefix);
        var bytes = MemoryMarshal.AsBytes(text);
        var length = 8 + bytes.Length;
        while (bytes.Length >= 8)
        {
            s.Compress(BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            bytes = bytes[8..];
        }

        return s.Finish(bytes, length);
    }

    private struct State
    {
        private ulong _v0;
        private ulong _v1;
        private ulong _v2;
        private ulong _v3;

        public State(ulong k0, ulong k1)
        {
            _v0 = k0 ^ 0x736f6d6570736575UL;
            _v1 = k1 ^ 0x646f72616e646f6dUL ^ 0xee; // 0xee: the 128-bit output variant
            _v2 = k0 ^ 0x6c7967656e657261UL;
            _v3 = k1 ^ 0x7465646279746573UL;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Compress(ulong m)
        {
            _v3 ^= m;
            Round();
            Round();
            _v0 ^= m;
        }

        /// <summary>The last block (the remaining bytes and the length's low byte), then the two finalisations.</summary>
        public (ulong, ulong) Finish(ReadOnlySpan<byte> rest, int length)
        {
            var b = (ulong)(uint)length << 56;
            for (var i = 0; i < rest.Length; i++)
            {
                b |= (ulong)rest[i] << (8 * i);
            }

            Compress(b);
            _v2 ^= 0xee;
            Round();
            Round();
            Round();
            Round();
            var first = _v0 ^ _v1 ^ _v2 ^ _v3;
            _v1 ^= 0xdd;
            Round();
            Round();
            Round();
            Round();
            return (first, _v0 ^ _v1 ^ _v2 ^ _v3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Round()
        {
            unchecked
            {
                _v0 += _v1;
                _v1 = BitOperations.RotateLeft(_v1, 13);
                _v1 ^= _v0;
                _v0 = BitOperations.RotateLeft(_v0, 32);
                _v2 += _v3;
                _v3 = BitOperations.RotateLeft(_v3, 16);
                _v3 ^= _v2;
                _v0 += _v3;
                _v3 = BitOperations.RotateLeft(_v3, 21);
                _v3 ^= _v0;
                _v2 += _v1;
                _v1 = BitOperations.RotateLeft(_v1, 17);
                _v1 ^= _v2;
                _v2 = BitOperations.RotateLeft(_v2, 32);
            }
        }
    }
}
