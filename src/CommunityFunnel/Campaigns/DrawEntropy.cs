using System.Text.Json.Serialization;
using CommunityFunnel.Lottery;
using CommunityFunnel.Rewards;

namespace CommunityFunnel.Campaigns;

/// <summary>Where a template's instances take their public entropy from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DrawEntropy>))]
public enum DrawEntropy
{
    /// <summary>
    /// The registered <see cref="IPublicEntropySource"/> (<c>UseDrandEntropy</c>: the round each instance named at its
    /// creation). With none registered the instance stays closed until one is.
    /// </summary>
    Registered,

    /// <summary>No public entropy (0 bytes, allowed by fair-draw/v1): only the committed server seed. For rehearsals and tests.</summary>
    None,
}
