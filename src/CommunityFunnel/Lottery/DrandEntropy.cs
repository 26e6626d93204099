using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace CommunityFunnel.Lottery;

/// <summary>
/// Public entropy from a drand beacon (the League of Entropy's quicknet or mainnet): the randomness of the first
/// round published at or after the close plus a safety margin. The round follows from the close time alone, so it
/// can be announced with the draw (<see cref="RoundFor"/>) and the operator cannot choose another after seeing it.
/// It waits (on the host's <see cref="TimeProvider"/>) until the round is due, fetches
/// <c>{relay}/{chainHash}/public/{round}</c> with the host's <see cref="HttpClient"/> (its <see cref="HttpClient.BaseAddress"/>,
/// ending with <c>/</c>, is the relay; <see cref="DefaultRelay"/> when it has none), and checks the answer: the round
/// asked for, and <c>randomness = SHA-256(signature)</c>. The BLS signature itself is not verified: the relay is
/// trusted to serve the chain's real signature (see docs/fair-draw.md).
/// With the draw service (<c>UseDrandEntropy</c>), a draw names its round when it is created, from its scheduled
/// close, and binds it into its commitment (fair-draw/v1.1); at the close exactly that round is fetched.
/// </summary>
public sealed class DrandEntropy : IPublicEntropySource
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates the source.</summary>
    /// <param name="httpClient">The host's HTTP client.</param>
    /// <param name="chain">The chain, e.g. <see cref="DrandChain.Quicknet"/>.</param>
    /// <param name="safetyMargin">
    /// How long after the close the round may be published at the earliest: 0 to 1 day;
    /// <see cref="DefaultSafetyMargin"/> when null.
    /// </param>
    /// <param name="timeProvider">The clock to wait on; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The margin is negative or longer than a day.</exception>
    public DrandEntropy(HttpClient httpClient, DrandChain chain, TimeSpan? safetyMargin = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(chain);
        var margin = safetyMargin ?? DefaultSafetyMargin;
        if (margin < TimeSpan.Zero || margin > MaxSafetyMargin)
        {
            throw new ArgumentOutOfRangeException(nameof(safetyMargin), margin, "the drand safety margin is 0 to 1 day (default 60 s)");
        }

        _http = httpClient;
        _time = timeProvider ?? TimeProvider.System;
        Chain = chain;
        SafetyMargin = margin;
    }

    /// <summary>
    /// The default safety margin, 60 s: the host's clock may be seconds off, the close takes a moment to write,
    /// and a host that runs <c>AdvanceAsync</c> every 30 s closes up to 30 s late. A draw whose close comes after
    /// its round cannot be drawn, so the margin must cover all of that; members wait a minute after the close.
    /// </summary>
    public static TimeSpan DefaultSafetyMargin { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest safety margin accepted: one day.</summary>
    public static TimeSpan MaxSafetyMargin { get; } = TimeSpan.FromDays(1);

    /// <summary>The relay used when the HTTP client has no base address: the League of Entropy's API.</summary>
    public static Uri DefaultRelay { get; } = new("https://api.drand.sh/");

    /// <summary>The chain.</summary>
    public DrandChain Chain { get; }

    /// <summary>The safety margin after the close.</summary>
    public TimeSpan SafetyMargin { get; }

    /// <summary>The round a draw closing at <paramref name="closedAt"/> uses: the first published at or after the close plus the margin.</summary>
    /// <param name="closedAt">The close.</param>
    /// <returns>The round.</returns>
    public long RoundFor(DateTimeOffset closedAt) => Chain.FirstRoundAtOrAfter(closedAt + SafetyMargin);

    /// <summary>Waits for the draw's round, fetches it and returns its 32-byte randomness.</summary>
    /// <param name="request">The closed draw.</param>
    /// <param name="cancellationToken">Cancels the wait and the request.</param>
    /// <returns>The randomness of round <see cref="RoundFor"/>(close).</returns>
    /// <exception cref="HttpRequestException">The relay did not answer with success.</exception>
    /// <exception cref="InvalidDataException">The answer is not the round asked for, or its randomness is not SHA-256 of its signature.</exception>
    public async Task<byte[]> GetEntropyAsync(PublicEntropyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var round = RoundFor(request.ClosedAt);
        var wait = Chain.TimeOf(round) - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }

        return (await FetchRoundAsync(round, cancellationToken).ConfigureAwait(false)).Randomness;
    }

    /// <summary>The round a draw closing at <paramref name="closesAt"/> names at its creation.</summary>
    internal DrandRound NameRound(DateTimeOffset closesAt) => new(Chain.ChainHash, RoundFor(closesAt));

    /// <summary>Fetches exactly <paramref name="round"/> (never "latest") and checks the answer; does not wait.</summary>
    internal async Task<(byte[] Randomness, byte[] Signature)> FetchRoundAsync(long round, CancellationToken cancellationToken)
    {
        var uri = new Uri(_http.BaseAddress ?? DefaultRelay, $"{Chain.ChainHash}/public/{round.ToString(CultureInfo.InvariantCulture)}");
        using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return CheckRound(body, round);
    }

    /// <summary>Checks a relay's answer for <paramref name="round"/> and returns its randomness.</summary>
    internal static byte[] CheckBeacon(ReadOnlySpan<byte> json, long round) => CheckRound(json, round).Randomness;

    /// <summary>Checks a relay's answer for <paramref name="round"/> and returns its randomness and signature.</summary>
    internal static (byte[] Randomness, byte[] Signature) CheckRound(ReadOnlySpan<byte> json, long round)
    {
        var what = $"drand round {round.ToString(CultureInfo.InvariantCulture)}";
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what}: the answer is not JSON ({e.Message})", e);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{what}: the answer is not a JSON object");
        }

        if (!root.TryGetProperty("round", out var stated) || stated.ValueKind != JsonValueKind.Number
            || !stated.TryGetInt64(out var statedRound) || statedRound != round)
        {
            throw new InvalidDataException($"{what}: the answer is for round {(root.TryGetProperty("round", out var r) ? r.GetRawText() : "(none)")}");
        }

        var randomness = HexField(root, "randomness", what);
        var signature = HexField(root, "signature", what);
        if (randomness.Length != 32 || signature.Length == 0)
        {
            throw new InvalidDataException($"{what}: randomness must be 32 bytes and the signature non-empty");
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(signature), randomness))
        {
            throw new InvalidDataException($"{what}: the randomness is not SHA-256 of the signature");
        }

        return (randomness, signature);
    }

    private static byte[] HexField(JsonElement root, string name, string what)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String
            || !Hex.TryDecode(value.GetString(), out var bytes))
        {
            throw new InvalidDataException($"{what}: \"{name}\" is missing or not hex");
        }

        return bytes;
    }
}
