using CommunityFunnel.Events;

namespace CommunityFunnel.Members;

/// <summary>
/// Where the reward engine gets member facts for eligibility. The default learns them from <c>joined</c>,
/// <c>left</c> and <c>removed</c> events; a host (or the lifecycle part) can plug in its own with
/// <c>UseMemberDirectory</c>. The engine awaits it one call at a time, on the caller's flow, in the order it
/// processes events. After a failed or cancelled call the engine may show it the same event again, so observing
/// must be idempotent.
/// </summary>
public interface IMemberDirectory
{
    /// <summary>Sees every event the engine processes, before rules are applied to it.</summary>
    /// <param name="communityEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the event is taken into account.</returns>
    Task ObserveAsync(CommunityEvent communityEvent, CancellationToken cancellationToken);

    /// <summary>The member's facts now, or <see langword="null"/> when the member is unknown.</summary>
    /// <param name="member">The member's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The facts.</returns>
    Task<MemberFacts?> FindAsync(string member, CancellationToken cancellationToken);
}
