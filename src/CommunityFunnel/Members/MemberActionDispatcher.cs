namespace CommunityFunnel.Members;

/// <summary>Hands every action to every registered <see cref="IMemberActionHandler"/>, in order.</summary>
internal sealed class MemberActionDispatcher(IEnumerable<IMemberActionHandler> handlers)
{
    private readonly IMemberActionHandler[] _handlers = [.. handlers];

    public int HandlerCount => _handlers.Length;

    public void Dispatch(IReadOnlyList<MemberAction> actions)
    {
        List<Exception>? errors = null;
        foreach (var action in actions)
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    handler.Handle(action);
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
