namespace CommunityFunnel.Members;

/// <summary>
/// Implemented by the host: carries out an action on its platform (send the welcome, remove the member...).
/// Register with <c>AddMemberActionHandler&lt;T&gt;()</c>; every registered handler gets every action, in order,
/// awaited one at a time on the caller's flow. Handlers run after the member's new state is saved, so a handler
/// should be quick and reliable (e.g. put the action in an outbox); an exception is reported after every handler
/// has had the action.
/// </summary>
public interface IMemberActionHandler
{
    /// <summary>Carries out (or queues) one action.</summary>
    /// <param name="action">The action.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the action is carried out or queued.</returns>
    Task HandleAsync(MemberAction action, CancellationToken cancellationToken);

    /// <summary>
    /// Carries out one action delivered from the action outbox (<see cref="LifecycleOptions.UseOutbox"/>): at least
    /// once, so the same action may come again (a retry after a failure, or another instance taking over a lease) with
    /// the same <see cref="MemberActionDelivery.ActionId"/>; use it to make the platform call idempotent. The default
    /// calls <see cref="HandleAsync(MemberAction, CancellationToken)"/>. Throw to have the delivery retried.
    /// </summary>
    /// <param name="action">The action.</param>
    /// <param name="delivery">Its id and attempt number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the action is carried out.</returns>
    Task HandleAsync(MemberAction action, MemberActionDelivery delivery, CancellationToken cancellationToken) => HandleAsync(action, cancellationToken);
}
