using System.Globalization;

namespace CommunityFunnel.Lottery;

/// <summary>
/// A drand randomness beacon chain: its chain hash, genesis time and period. Round <c>r</c> (rounds start at 1) is
/// published at <c>genesis + (r - 1) * period</c>, so <c>round(t) = floor((t - genesis) / period) + 1</c>.
/// </summary>
public sealed class DrandChain
{
    /// <summary>Creates a chain description.</summary>
    /// <param name="name">A name for people, e.g. <c>quicknet</c>.</param>
    /// <param name="chainHash">The chain hash (64 lowercase hex digits), as drand relays name the chain in their paths.</param>
    /// <param name="genesisUnixSeconds">The genesis time, in seconds since 1970-01-01T00:00:00Z.</param>
    /// <param name="periodSeconds">Seconds between rounds (at least 1).</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public DrandChain(string name, string chainHash, long genesisUnixSeconds, int periodSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(chainHash);
        if (chainHash.Length != 64 || !chainHash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new ArgumentException($"'{chainHash}' is not a chain hash (64 lowercase hex digits)", nameof(chainHash));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(genesisUnixSeconds, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(periodSeconds, 1);
        Name = name;
        ChainHash = chainHash;
        Genesis = DateTimeOffset.FromUnixTimeSeconds(genesisUnixSeconds);
        Period = TimeSpan.FromSeconds(periodSeconds);
    }

    /// <summary>The League of Entropy's quicknet chain (unchained BLS on G1, a round every 3 s).</summary>
    public static DrandChain Quicknet { get; } =
        new("quicknet", "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971", 1692803367, 3);

    /// <summary>The League of Entropy's mainnet (default) chain (chained BLS, a round every 30 s).</summary>
    public static DrandChain Mainnet { get; } =
        new("mainnet", "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce", 1595431050, 30);

    /// <summary>The name for people.</summary>
    public string Name { get; }

    /// <summary>The chain hash (lowercase hex).</summary>
    public string ChainHash { get; }

    /// <summary>When round 1 was published.</summary>
    public DateTimeOffset Genesis { get; }

    /// <summary>The time between two rounds.</summary>
    public TimeSpan Period { get; }

    /// <summary>The round current at <paramref name="time"/>: <c>floor((t - genesis) / period) + 1</c>.</summary>
    /// <param name="time">An instant at or after the genesis.</param>
    /// <returns>The round, at least 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The instant is before the genesis.</exception>
    public long RoundAt(DateTimeOffset time)
    {
        var since = time - Genesis;
        if (since < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"{Name} starts at {Genesis.ToString("O", CultureInfo.InvariantCulture)}");
        }

        return (since.Ticks / Period.Ticks) + 1;
    }

    /// <summary>When <paramref name="round"/> is published: <c>genesis + (round - 1) * period</c>.</summary>
    /// <param name="round">A round, at least 1.</param>
    /// <returns>The instant.</returns>
    public DateTimeOffset TimeOf(long round)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        return Genesis + TimeSpan.FromTicks(checked((round - 1) * Period.Ticks));
    }

    /// <summary>The first round published at or after <paramref name="time"/> (round 1 for instants before the genesis).</summary>
    /// <param name="time">The instant.</param>
    /// <returns>The round.</returns>
    public long FirstRoundAtOrAfter(DateTimeOffset time)
    {
        var since = (time - Genesis).Ticks;
        if (since <= 0)
        {
            return 1;
        }

        return ((since + Period.Ticks - 1) / Period.Ticks) + 1;
    }

    /// <summary>The known chain (quicknet or mainnet) with this hash, or <see langword="null"/>.</summary>
    internal static DrandChain? Find(string? chainHash) =>
        string.Equals(chainHash, Quicknet.ChainHash, StringComparison.Ordinal) ? Quicknet
        : string.Equals(chainHash, Mainnet.ChainHash, StringComparison.Ordinal) ? Mainnet
        : null;

    /// <inheritdoc/>
    public override string ToString() => $"drand {Name} ({ChainHash})";
}
