namespace CommunityFunnel.Events;

/// <summary>Argument checks shared by the APIs that take a batch of events.</summary>
internal static class EventBatch
{
    /// <summary>Throws, naming the first null element's index, before any of the batch is used.</summary>
    public static void ThrowIfAnyNull(ReadOnlySpan<CommunityEvent> events, string paramName)
    {
        for (var i = 0; i < events.Length; i++)
        {
            if (events[i] is null)
            {
                throw new ArgumentException($"The event at index {i} is null.", paramName);
            }
        }
    }
}
