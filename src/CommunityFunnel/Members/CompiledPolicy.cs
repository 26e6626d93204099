using System.Text.RegularExpressions;

namespace CommunityFunnel.Members;

/// <summary>A <see cref="LifecyclePolicy"/> turned into ticks, a compiled regex and sets, for the hot path.</summary>
internal sealed class CompiledPolicy
{
    public const int MaxTasks = 16;

    private readonly HashSet<string> _protected;

    public CompiledPolicy(LifecyclePolicy policy, TimeZoneInfo zone, TimeSpan activationWindow)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var failures = new List<string>();
        var options = new LifecycleOptions { DefaultPolicy = policy };
        failures.AddRange(LifecycleOptionsValidator.Check(options));
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid lifecycle policy: " + string.Join(" ", failures), nameof(policy));
        }

        Source = policy;
        Zone = zone;
        Nickname = policy.NicknamePattern is { } p ? NicknameRegex.TryCreate(p, out _) : null;
        OnboardingGrace = policy.OnboardingGrace.Ticks;
        SpeakEveryDays = policy.SpeakEveryDays ?? 0;
        TaskIds = policy.RequiredTasks.Select(t => t.Id).ToArray();
        TaskWithin = policy.RequiredTasks.Select(t => t.Within.Ticks).ToArray();
        WarningGrace = policy.WarningGrace.Ticks;
        BanForever = policy.RejoinBan is null;
        BanTicks = policy.RejoinBan?.Ticks ?? 0;
        RejoinMode = policy.RejoinAfterLeaving;
        Rules = policy.Rules;
        ActivationWindow = activationWindow.Ticks;
        _protected = new HashSet<string>(policy.ProtectedMembers, StringComparer.Ordinal);
        Table = LifecycleTable.For(policy);
    }

    /// <summary>The transitions of this policy: what the core takes and what <see cref="LifecycleGraph"/> renders.</summary>
    public LifecycleTable Table { get; }

    public LifecyclePolicy Source { get; }

    public TimeZoneInfo Zone { get; }

    public Regex? Nickname { get; }

    public long OnboardingGrace { get; }

    public int SpeakEveryDays { get; }

    public string[] TaskIds { get; }

    public long[] TaskWithin { get; }

    public long WarningGrace { get; }

    public bool BanForever { get; }

    public long BanTicks { get; }

    public RejoinMode RejoinMode { get; }

    public string? Rules { get; }

    public long ActivationWindow { get; }

    public bool IsAllowListed(string member) => _protected.Contains(member);

    /// <summary>The index of a required task, or -1.</summary>
    public int TaskIndex(string? task)
    {
        if (task is null)
        {
            return -1;
        }

        var ids = TaskIds;
        for (var i = 0; i < ids.Length; i++)
        {
            if (string.Equals(ids[i], task, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the whole of <paramref name="nickname"/> matches the pattern (always, without one); linear time, never throws.</summary>
    public bool NicknameMatches(string? nickname) =>
        Nickname is null || (nickname is not null && Nickname.IsMatch(nickname));

    /// <summary>
    /// The speak deadline for activity (or a join) at <paramref name="baseTicks"/>: the start of local day D + N + 1;
    /// <see cref="LifecycleCore.Never"/> when that day is past the calendar's last.
    /// </summary>
    public long SpeakDeadline(long baseTicks)
    {
        var day = LocalCalendar.LocalDate(baseTicks, Zone);
        if (day.DayNumber > DateOnly.MaxValue.DayNumber - 2 - SpeakEveryDays)
        {
            return LifecycleCore.Never;
        }

        return LocalCalendar.StartOfDay(day.AddDays(SpeakEveryDays + 1), Zone).UtcTicks;
    }
}
