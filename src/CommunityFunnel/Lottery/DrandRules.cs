using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CommunityFunnel.Lottery;

/// <summary>
/// fair-draw/v1.1's drand rules (docs/fair-draw.md): the commitment that binds the named round, the checks of a
/// proof's <c>drand</c> object, and the instant format of <c>closedAt</c>.
/// </summary>
internal static partial class DrandRules
{
    /// <summary>The version of a proof that carries a <c>drand</c> object.</summary>
    public const string Version = "fair-draw/v1.1";

    /// <summary>The highest round a proof may name (quicknet: 408 years; mainnet: 4 080 years).</summary>
    public const long MaxRound = uint.MaxValue;

    private const string Label = "community-funnel/fair-draw/v1.1/drand";

    /// <summary>
    /// <c>SHA256(serverSeed || ASCII(label) || chainHash (32 bytes) || u64be(round))</c>: the commitment of a draw
    /// bound to a drand round, so the round is fixed when the commitment is published.
    /// </summary>
    public static string Commitment(ReadOnlySpan<byte> serverSeed, string chainHash, long round)
    {
        var label = Encoding.ASCII.GetBytes(Label);
        var chain = Convert.FromHexString(chainHash);
        var message = new byte[serverSeed.Length + label.Length + chain.Length + 8];
        serverSeed.CopyTo(message);
        label.CopyTo(message.AsSpan(serverSeed.Length));
        chain.CopyTo(message.AsSpan(serverSeed.Length + label.Length));
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(message.Length - 8), checked((ulong)round));
        return Hex.Lower(SHA256.HashData(message));
    }

    /// <summary>An instant as a proof writes it: UTC, <c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c>, trailing zeros of the fraction dropped.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an instant in the proof format (UTC, <c>Z</c>, 0 to 7 fraction digits).</summary>
    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is not null && InstantPattern().IsMatch(text)
            && DateTimeOffset.TryParseExact(
                text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    /// <summary>
    /// The first rule a proof's <c>drand</c> object breaks, checked before anything is recomputed: a known chain, a
    /// round from 1, 32 bytes of randomness that are SHA-256 of the signature, a round published at or after the
    /// close. When the round is earlier than the close, the commitment tells which of the two was changed: a round
    /// that matches the commitment was named at creation, so the close is the wrong one.
    /// </summary>
    public static (string Field, string Expected, string Actual)? FirstProblem(DrandBeacon beacon, ReadOnlySpan<byte> serverSeed, string? statedCommitment)
    {
        if (DrandChain.Find(beacon.Chain) is not { } chain)
        {
            return ("drand.chain", "a drand chain this verifier knows (quicknet or mainnet)", FairDraw.Quote(beacon.Chain));
        }

        if (beacon.Round is < 1 or > MaxRound)
        {
            return ("drand.round", "rule: 1 <= round <= 4294967295", FairDraw.Number(beacon.Round));
        }

        if (!Hex.TryDecode(beacon.Randomness, out var randomness) || randomness.Length != 32)
        {
            return ("drand.randomness", "32 bytes of hex", FairDraw.Quote(beacon.Randomness));
        }

        if (beacon.Signature is not null)
        {
            if (!Hex.TryDecode(beacon.Signature, out var signature) || signature.Length == 0)
            {
                return ("drand.signature", "hex", FairDraw.Quote(beacon.Signature));
            }

            var hashed = Hex.Lower(SHA256.HashData(signature));
            if (!string.Equals(hashed, beacon.Randomness, StringComparison.Ordinal))
            {
                return ("drand.randomness", FairDraw.Quote(hashed), FairDraw.Quote(beacon.Randomness));
            }
        }

        var published = chain.TimeOf(beacon.Round);
        if (published < beacon.ClosedAt)
        {
            var named = serverSeed.Length == FairDrawEngine.SeedSize
                && string.Equals(Commitment(serverSeed, chain.ChainHash, beacon.Round), statedCommitment, StringComparison.Ordinal);
            return named
                ? ("drand.closedAt", $"at or before \"{Format(published)}\" (when round {FairDraw.Number(beacon.Round)} was published)", "\"" + Format(beacon.ClosedAt) + "\"")
                : ("drand.round", $"at least {FairDraw.Number(chain.FirstRoundAtOrAfter(beacon.ClosedAt))} (published at or after drand.closedAt)", FairDraw.Number(beacon.Round));
        }

        return null;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?Z$", RegexOptions.CultureInvariant)]
    private static partial Regex InstantPattern();
}
