using System.Text.Json.Serialization;

namespace CommunityFunnel.Members;

/// <summary>Why a reminder or a removal was issued, or which deadline fired.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LifecycleReason>))]
public enum LifecycleReason : byte
{
    /// <summary>No reason: welcomes and congratulations.</summary>
    None,

    /// <summary>The group nickname does not follow the group's pattern after the onboarding grace.</summary>
    Nickname,

    /// <summary>The member did not speak within the required number of days.</summary>
    Inactive,

    /// <summary>A required task was not submitted before its deadline.</summary>
    TaskOverdue,

    /// <summary>A submitted task was rejected by a reviewer.</summary>
    TaskRejected,

    /// <summary>A member removed earlier rejoined while the rejoin ban still holds.</summary>
    RejoinBanned,
}
