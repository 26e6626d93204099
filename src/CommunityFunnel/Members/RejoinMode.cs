using System.Text.Json.Serialization;

namespace CommunityFunnel.Members;

/// <summary>What happens when a member who left by themselves joins the same group again.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RejoinMode>))]
public enum RejoinMode
{
    /// <summary>Onboarding again: nickname and task requirements start over from the new join (default).</summary>
    Onboarding,

    /// <summary>Back in good standing at once, keeping the nickname and task results of the earlier stay.</summary>
    Active,
}
