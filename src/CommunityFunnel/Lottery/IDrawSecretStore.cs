namespace CommunityFunnel.Lottery;

/// <summary>
/// Keeps each draw's server seed secret until the reveal (a vault, a KMS-encrypted table). The in-memory default
/// loses seeds on restart: a host that runs draws across restarts plugs in its own.
/// </summary>
public interface IDrawSecretStore
{
    /// <summary>Stores a draw's seed; a second seed for the same draw must be refused.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="serverSeed">The 32-byte seed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    Task StoreSeedAsync(string drawId, ReadOnlyMemory<byte> serverSeed, CancellationToken cancellationToken);

    /// <summary>The draw's seed, or <see langword="null"/> if unknown.</summary>
    /// <param name="drawId">The draw's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The seed.</returns>
    Task<byte[]?> GetSeedAsync(string drawId, CancellationToken cancellationToken);
}
