namespace CommunityFunnel.Members;

/// <summary>An action decided by the core, before it becomes a <see cref="MemberAction"/>.</summary>
internal readonly record struct PendingAction(MemberActionKind Kind, LifecycleReason Reason, int Task, long At, long Deadline);

/// <summary>A state change decided by the core, before it becomes a <see cref="MemberTransition"/>.</summary>
/// <param name="From">The state before; null when the member was first seen.</param>
/// <param name="To">The state after.</param>
/// <param name="EventId">The event that caused it, or null for a deadline.</param>
/// <param name="DeadlineReason">For a deadline: which one (None = the removal deadline).</param>
/// <param name="At">When.</param>
internal readonly record struct PendingTransition(MemberState? From, MemberState To, string? EventId, LifecycleReason DeadlineReason, long At)
{
    public string Trigger => EventId ?? "deadline:" + (DeadlineReason == LifecycleReason.None ? "removal" : LifecycleNames.Reason(DeadlineReason));
}

/// <summary>Reusable buffers the core writes its decisions into: no allocation once they have grown.</summary>
internal sealed class LifecycleOutput
{
    private PendingAction[] _actions = new PendingAction[8];
    private PendingTransition[] _transitions = new PendingTransition[8];

    public int ActionCount { get; private set; }

    public int TransitionCount { get; private set; }

    public ReadOnlySpan<PendingAction> Actions => _actions.AsSpan(0, ActionCount);

    public ReadOnlySpan<PendingTransition> Transitions => _transitions.AsSpan(0, TransitionCount);

    public void Clear()
    {
        ActionCount = 0;
        TransitionCount = 0;
    }

    public void Add(PendingAction action)
    {
        if (ActionCount == _actions.Length)
        {
            Array.Resize(ref _actions, _actions.Length * 2);
        }

        _actions[ActionCount++] = action;
    }

    public void Add(PendingTransition transition)
    {
        if (TransitionCount == _transitions.Length)
        {
            Array.Resize(ref _transitions, _transitions.Length * 2);
        }

        _transitions[TransitionCount++] = transition;
    }
}
