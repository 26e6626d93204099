using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The second stage of a large <see cref="IRewardEngine.ProcessBatch"/>: the engine decides grants and reversals on
/// its thread and adds them here; a second thread writes them to the ledger, strictly in the order added, through
/// the same <see cref="RewardLedgerWriter"/> a single <see cref="IRewardEngine.Process"/> uses. That is sound
/// because the engine's rule state never depends on what the ledger answers (caps, budgets and reversals are
/// ledger-side), so the ledger sees the same calls in the same order either way; the two stages only overlap their
/// cache misses (member state on one core, the ledger's key and counter tables on the other). Used for one batch.
/// </summary>
internal sealed class RewardLedgerPipeline
{
    /// <summary>Writes are handed over in chunks, so that the threads meet once per chunk, not once per grant.</summary>
    private const int ChunkSize = 1024;

    /// <summary>Chunks waiting for the writer at most: the engine waits when it is this far ahead (bounded memory).</summary>
    private const int MaxQueued = 16;

    private readonly RewardLedgerWriter _writer;
    private readonly BlockingCollection<Chunk> _queued = new(MaxQueued);
    private readonly ConcurrentQueue<Chunk> _free = new();
    private readonly Thread _thread;
    private Chunk _current = new();
    private int _appended;
    private volatile ExceptionDispatchInfo? _failure;

    public RewardLedgerPipeline(RewardLedgerWriter writer)
    {
        _writer = writer;
        _thread = new Thread(WriteQueued) { IsBackground = true, Name = "CommunityFunnel reward ledger" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="write"/> behind those added before it.</summary>
    public void Add(in PendingLedgerWrite write)
    {
        _current.Items[_current.Count++] = write;
        if (_current.Count == ChunkSize)
        {
            // A failed writer stops the engine at the next chunk rather than at the end of the batch.
            _failure?.Throw();
            _queued.Add(_current);
            _current = _free.TryDequeue(out var free) ? free : new Chunk();
        }
    }

    /// <summary>Writes what is still queued, stops the writer thread and returns how many ledger entries were appended; rethrows the writer's exception.</summary>
    public int Complete()
    {
        if (_current.Count > 0)
        {
            _queued.Add(_current);
        }

        _queued.CompleteAdding();
        _thread.Join();
        _queued.Dispose();
        _failure?.Throw();
        return _appended;
    }

    private void WriteQueued()
    {
        foreach (var chunk in _queued.GetConsumingEnumerable())
        {
            // After a failure the rest is drained unwritten, so that the engine never waits on a full queue.
            if (_failure is null)
            {
                try
                {
                    for (var i = 0; i < chunk.Count; i++)
                    {
                        _appended += _writer.Write(chunk.Items[i]);
                    }
                }
                catch (Exception ex)
                {
                    _failure = ExceptionDispatchInfo.Capture(ex);
                }
            }

            Array.Clear(chunk.Items, 0, chunk.Count); // no event strings kept alive by a free chunk
            chunk.Count = 0;
            _free.Enqueue(chunk);
        }
    }

    private sealed class Chunk
    {
        public readonly PendingLedgerWrite[] Items = new PendingLedgerWrite[ChunkSize];
        public int Count;
    }
}
