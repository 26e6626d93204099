using System.Collections.Concurrent;

namespace CommunityFunnel.Lottery;

/// <summary>The default secret store: seeds in memory, lost on restart. Thread-safe.</summary>
internal sealed class InMemoryDrawSecretStore : IDrawSecretStore
{
    private readonly ConcurrentDictionary<string, byte[]> _seeds = new(StringComparer.Ordinal);

    public Task StoreSeedAsync(string drawId, ReadOnlyMemory<byte> serverSeed, CancellationToken cancellationToken)
    {
        if (!_seeds.TryAdd(drawId, serverSeed.ToArray()))
        {
            throw new InvalidOperationException($"draw '{drawId}' already has a server seed; a seed is never replaced");
        }

        return Task.CompletedTask;
    }

    public Task<byte[]?> GetSeedAsync(string drawId, CancellationToken cancellationToken) =>
        Task.FromResult(_seeds.TryGetValue(drawId, out var seed) ? seed.ToArray() : null);
}
