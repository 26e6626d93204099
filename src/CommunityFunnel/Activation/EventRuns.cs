using System.Collections.Concurrent;
using CommunityFunnel.Events;

namespace CommunityFunnel.Activation;

/// <summary>
/// Hands a sequence of events to a consumer in runs, reading the next run on another thread while the consumer
/// works on the current one: reading a log (parsing JSON) and computing overlap on two cores. At most three runs
/// are held at once, so memory stays flat in the length of the sequence.
/// </summary>
/// <remarks>
/// The sequence is enumerated on one thread-pool thread (one thread at a time, never concurrently with the
/// caller, who waits). An exception from the sequence is rethrown to the caller as it was, after the runs read
/// before it; an exception from the consumer stops the reading. With a single processor everything runs on the
/// calling thread.
/// </remarks>
internal static class EventRuns
{
    /// <summary>Receives one run; the span is only valid during the call.</summary>
    public delegate void RunConsumer(ReadOnlySpan<CommunityEvent> run);

    public static void ForEach(IEnumerable<CommunityEvent> events, int runLength, RunConsumer consumer)
    {
        if (Environment.ProcessorCount < 2)
        {
            ForEachOnThisThread(events, runLength, consumer);
            return;
        }

        using var stop = new CancellationTokenSource();
        using var empty = new BlockingCollection<CommunityEvent[]>();
        using var full = new BlockingCollection<(CommunityEvent[] Run, int Count)>();
        for (var i = 0; i < 3; i++)
        {
            empty.Add(new CommunityEvent[runLength]);
        }

        var reader = Task.Run(() =>
        {
            try
            {
                var run = empty.Take(stop.Token);
                var used = 0;
                foreach (var e in events)
                {
                    run[used++] = e;
                    if (used == run.Length)
                    {
                        full.Add((run, used));
                        run = empty.Take(stop.Token);
                        used = 0;
                    }
                }

                full.Add((run, used));
            }
            finally
            {
                full.CompleteAdding();
            }
        });

        try
        {
            foreach (var (run, count) in full.GetConsumingEnumerable())
            {
                consumer(run.AsSpan(0, count));
                empty.Add(run);
            }
        }
        catch
        {
            stop.Cancel();
            try
            {
                reader.Wait();
            }
            catch (AggregateException)
            {
                // The consumer's exception is the one to report; the reader only stopped because of it.
            }

            throw;
        }

        reader.GetAwaiter().GetResult(); // the sequence's own exception, as it was thrown
    }

    private static void ForEachOnThisThread(IEnumerable<CommunityEvent> events, int runLength, RunConsumer consumer)
    {
        var run = new CommunityEvent[runLength];
        var used = 0;
        foreach (var e in events)
        {
            run[used++] = e;
            if (used == run.Length)
            {
                consumer(run);
                used = 0;
            }
        }

        consumer(run.AsSpan(0, used));
    }
}
