using CommunityFunnel.Events;

namespace CommunityFunnel.Hosting;

/// <summary>
/// Where a host hands in each event it received (a webhook, a callback, a resync): the event is appended to the
/// <see cref="IEventLogStore"/> and, if its id is new there, applied to the member lifecycle and then to the rewards,
/// in submission order per member. An id the store holds already is a duplicate and changes nothing.
/// </summary>
public interface IEventIntake
{
    /// <summary>Stores and applies <paramref name="communityEvent"/> (see <see cref="IEventIntake"/>).</summary>
    /// <param name="communityEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it was applied or a duplicate, and what applying it decided.</returns>
    Task<EventIntakeResult> SubmitAsync(CommunityEvent communityEvent, CancellationToken cancellationToken = default);
}
