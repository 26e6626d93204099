namespace CommunityFunnel.Members;

/// <summary>Yes/no facts about a member, packed into <see cref="MemberData"/>.</summary>
[Flags]
internal enum MemberFlags : byte
{
    None = 0,

    /// <summary>Staff, bot or allow-listed: never reminded or removed.</summary>
    Protected = 1,

    /// <summary>First seen through an event other than a join: in good standing, exempt from onboarding and tasks.</summary>
    JoinedBeforeTracking = 2,

    /// <summary>The nickname follows the pattern (or onboarding was otherwise completed).</summary>
    NicknameOk = 4,

    /// <summary>The first join activated within the window (<see cref="Activation.JoinActivation"/>).</summary>
    ActivatedWithinWindow = 8,

    /// <summary>The first join was as staff or a bot: excluded from activation cohorts.</summary>
    StaffOrBot = 16,

    /// <summary>Has had a qualifying activity (so <see cref="MemberData.FirstActivityAt"/> is set).</summary>
    HasActivity = 32,

    /// <summary>Activation is settled: activated, out of cohorts, or an in-order activity came after the window.</summary>
    ActivationSettled = 64,
}
