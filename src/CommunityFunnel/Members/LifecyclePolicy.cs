namespace CommunityFunnel.Members;

/// <summary>The rules one group applies to its members. Validated when the host starts.</summary>
public sealed class LifecyclePolicy
{
    /// <summary>
    /// A .NET regular expression the whole group nickname must match, e.g. <c>^[^-]+-[^-]+-[^-]+$</c> for
    /// <c>城市-姓名-职业</c>. <see langword="null"/> (default): no nickname rule, a join goes straight to active.
    /// </summary>
    public string? NicknamePattern { get; set; }

    /// <summary>How long a joining member has to set a matching nickname. Default 24 hours.</summary>
    public TimeSpan OnboardingGrace { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// "Speak every N days": a member whose last qualifying activity (or join) was on local day D must be active
    /// again by the end of local day D + N, in the policy's time zone. <see langword="null"/> (default): no such rule.
    /// </summary>
    public int? SpeakEveryDays { get; set; }

    /// <summary>Tasks every joining member must submit within a time after joining; submissions go through review.</summary>
    public IList<LifecycleTask> RequiredTasks { get; } = [];

    /// <summary>How long after a reminder a member still out of line is removed. Default 48 hours.</summary>
    public TimeSpan WarningGrace { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Member ids never reminded or removed, on top of staff and bots (who always are protected).</summary>
    public IList<string> ProtectedMembers { get; } = [];

    /// <summary>
    /// How long a removed member stays banned: a rejoin within it gets an immediate removal. <see langword="null"/>
    /// (default): forever. <see cref="TimeSpan.Zero"/>: no ban.
    /// </summary>
    public TimeSpan? RejoinBan { get; set; }

    /// <summary>What a rejoin after leaving does. Default <see cref="RejoinMode.Onboarding"/>.</summary>
    public RejoinMode RejoinAfterLeaving { get; set; } = RejoinMode.Onboarding;

    /// <summary>The group's rules, sent with every welcome.</summary>
    public string? Rules { get; set; }
}
