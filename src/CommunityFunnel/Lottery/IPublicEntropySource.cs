namespace CommunityFunnel.Lottery;

/// <summary>
/// Public entropy fixed after a draw closed, which the operator cannot choose: a randomness beacon round, published
/// lottery numbers canonicalised as in RFC 3797 section 4 (<see cref="Rfc3797.KeyBytes"/>), a later block hash.
/// A host plugs one in with <c>UsePublicEntropySource</c>.
/// </summary>
public interface IPublicEntropySource
{
    /// <summary>The entropy for a closed draw (0 to 4096 bytes).</summary>
    /// <param name="request">The draw and its close.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The entropy bytes.</returns>
    Task<byte[]> GetEntropyAsync(PublicEntropyRequest request, CancellationToken cancellationToken);
}
