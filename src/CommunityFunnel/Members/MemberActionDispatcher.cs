namespace CommunityFunnel.Members;

/// <summary>Hands every action to every registered <see cref="IMemberActionHandler"/>, in order, one at a time.</summary>
internal sealed class MemberActionDispatcher(IEnumerable<IMemberActionHandler> handlers)
{
    private readonly IMemberActionHandler[] _handlers = [.. handlers];

    public int HandlerCount => _handlers.Length;

    public async Task DispatchAsync(IReadOnlyList<MemberAction> actions, CancellationToken cancellationToken)
    {
        List<Exception>? errors = null;
        foreach (var action in actions)
        {
            foreach (var handler in _handlers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    await handler.HandleAsync(action, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // every handler gets every action; failures are reported together below
                catch (Exception e)
#pragma warning restore CA1031
                {
                    (errors ??= []).Add(e);
                }
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("One or more member action handlers failed; the member state was saved.", errors);
        }
    }
}
