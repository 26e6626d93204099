namespace CommunityFunnel.Members;

/// <summary>A task every joining member must submit within a time after joining (e.g. a share screenshot within 48 h).</summary>
public sealed class LifecycleTask
{
    /// <summary>The task id, as in the events' <c>task</c> field.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>How long after joining the task must be submitted.</summary>
    public TimeSpan Within { get; set; } = TimeSpan.FromHours(48);
}
