using CommunityFunnel.Lottery;

namespace CommunityFunnel.Cli.Campaigns;

/// <summary>
/// <c>--entropy fixed:HEX</c>: the same bytes as every draw's public entropy, in place of a beacon round. For a
/// rehearsal only: the operator chose these bytes, so they prove nothing about fairness. The proofs are plain
/// fair-draw/v1 (no <c>drand</c> object, so they claim no beacon) with these bytes as <c>publicEntropy</c>.
/// </summary>
internal sealed class FixedEntropy(byte[] bytes) : IPublicEntropySource
{
    public const string Prefix = "fixed:";

    public byte[] Bytes { get; } = bytes;

    /// <summary>Parses <c>fixed:HEX</c> (0 to 4096 bytes, an even number of hex digits).</summary>
    public static FixedEntropy Parse(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CliUsageException($"--entropy: '{text}' is not fixed:HEX (the only source a rehearsal can use offline)");
        }

        var hex = text[Prefix.Length..];
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw new CliUsageException($"--entropy: '{hex}' is not hex (an even number of 0-9, a-f)");
        }

        return bytes.Length <= 4096 ? new FixedEntropy(bytes) : throw new CliUsageException($"--entropy: {bytes.Length} bytes; fair-draw/v1 allows 0 to 4096");
    }

    public Task<byte[]> GetEntropyAsync(PublicEntropyRequest request, CancellationToken cancellationToken) => Task.FromResult(Bytes.ToArray());
}
