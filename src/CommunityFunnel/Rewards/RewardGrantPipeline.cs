using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace CommunityFunnel.Rewards;

/// <summary>
/// The second stage of a large <see cref="IRewardEngine.ProcessBatchAsync"/>: the engine runs the rules on its thread
/// and adds the steps they lead to (directory observations, grants, reversals) here; a second thread runs them,
/// strictly in the order added, through the same <see cref="RewardGrantWriter"/> a single
/// <see cref="IRewardEngine.ProcessAsync"/> uses. That is sound because the rules' state never depends on the directory
/// or the ledger (eligibility, caps, budgets and reversals are decided there), so both see the same calls in the
/// same order either way; the two stages only overlap their work and cache misses (members' rule state on one
/// core, facts and the ledger's key and counter tables on the other). Used for one batch.
/// </summary>
internal sealed class RewardGrantPipeline
{
    /// <summary>Steps are handed over in chunks, so that the threads meet once per chunk, not once per grant.</summary>
    private const int ChunkSize = 1024;

    /// <summary>Chunks waiting for the writer at most: the engine waits when it is this far ahead (bounded memory).</summary>
    private const int MaxQueued = 16;

    private readonly RewardGrantWriter _writer;
    private readonly BlockingCollection<Chunk> _queued = new(MaxQueued);
    private readonly ConcurrentQueue<Chunk> _free = new();
    private readonly Thread _thread;
    private Chunk _current = new();
    private int _appended;
    private volatile ExceptionDispatchInfo? _failure;

    public RewardGrantPipeline(RewardGrantWriter writer)
    {
        _writer = writer;
        _thread = new Thread(RunQueued) { IsBackground = true, Name = "CommunityFunnel reward grants" };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="step"/> behind those added before it.</summary>
    public void Add(in RewardGrantStep step)
    {
        _current.Items[_current.Count++] = step;
        if (_current.Count == ChunkSize)
        {
            // A failed writer stops the engine at the next chunk rather than at the end of the batch.
            _failure?.Throw();
            _queued.Add(_current);
            _current = _free.TryDequeue(out var free) ? free : new Chunk();
        }
    }

    /// <summary>Runs what is still queued, stops the second thread and returns how many ledger entries were appended; rethrows the writer's exception.</summary>
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

    private void RunQueued()
    {
        foreach (var chunk in _queued.GetConsumingEnumerable())
        {
            // After a failure the rest is drained unrun, so that the engine never waits on a full queue.
            if (_failure is null)
            {
                try
                {
                    _appended += _writer.RunAll(chunk.Items.AsSpan(0, chunk.Count));
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
        public readonly RewardGrantStep[] Items = new RewardGrantStep[ChunkSize];
        public int Count;
    }
}
