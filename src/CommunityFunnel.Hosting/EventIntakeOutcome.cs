namespace CommunityFunnel.Hosting;

/// <summary>What <see cref="IEventIntake.SubmitAsync"/> did with an event.</summary>
public enum EventIntakeOutcome
{
    /// <summary>Its id was new: it was stored and applied to the lifecycle and the rewards.</summary>
    Applied,

    /// <summary>Its id was stored before (by this instance or another sharing the store): nothing changed.</summary>
    Duplicate,
}
