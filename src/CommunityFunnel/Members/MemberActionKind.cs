using System.Text.Json.Serialization;

namespace CommunityFunnel.Members;

/// <summary>What the host is asked to do for a member.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MemberActionKind>))]
public enum MemberActionKind
{
    /// <summary>Welcome a member who joined, showing the group's rules.</summary>
    Welcome,

    /// <summary>Remind a member of an overdue or rejected requirement, naming the deadline.</summary>
    Reminder,

    /// <summary>Remove a member from the group.</summary>
    Removal,

    /// <summary>Congratulate a member who completed onboarding.</summary>
    Congratulation,
}
