using CommunityFunnel.Events;

namespace CommunityFunnel.Rewards;

/// <summary>Applies the reward rules to events as they come and writes grants to the <see cref="IRewardLedger"/>.</summary>
public interface IRewardEngine
{
    /// <summary>
    /// Processes one event: updates the member's task state and appends the grants (and reversals) it triggers.
    /// Safe to call from several threads; the same event twice never grants twice.
    /// </summary>
    /// <returns>How many ledger entries (grants and reversals) the event appended.</returns>
    int Process(CommunityEvent communityEvent);

    /// <summary>
    /// Processes events in order, with exactly the result of <see cref="Process"/> on each in turn. The built-in
    /// engine takes its lock once and reads a few dozen events ahead so that looking their members up overlaps the
    /// waits on memory; the default implementation calls <see cref="Process"/> for each.
    /// </summary>
    /// <param name="events">The events, processed in this order.</param>
    /// <returns>How many ledger entries (grants and reversals) the events appended.</returns>
    /// <exception cref="ArgumentException">An element is null (the built-in engine then processes none).</exception>
    int ProcessBatch(ReadOnlySpan<CommunityEvent> events)
    {
        var appended = 0;
        for (var i = 0; i < events.Length; i++)
        {
            appended += Process(events[i] ?? throw new ArgumentException($"The event at index {i} is null.", nameof(events)));
        }

        return appended;
    }

    /// <summary>What the engine has done so far.</summary>
    RewardStatistics Statistics { get; }
}
