namespace CommunityFunnel.Simulation;

/// <summary>
/// How members who come through one join channel behave: how many join that way, how many speak within 24 hours,
/// how chatty they are, how many buy, leave or get removed, and the scan → join rate of its <c>invite_viewed</c>
/// events (<see cref="ScanJoin"/>: the share of its distinct visitors who join; 0 for a channel with no views).
/// </summary>
internal sealed record ChannelProfile(
    string? Name,
    int Weight,
    double Activation,
    double LateStart,
    double Engagement,
    double Buyer,
    double Leave,
    double Removed,
    double ScanJoin)
{
    /// <summary>The channels, in a fixed order (the index is stored per member). The last has no channel name.</summary>
    public static readonly ChannelProfile[] All =
    [
        new("poster", 24, Activation: 0.48, LateStart: 0.35, Engagement: 1.0, Buyer: 0.06, Leave: 0.14, Removed: 0.02, ScanJoin: 0.30),
        new("official_account", 26, Activation: 0.56, LateStart: 0.40, Engagement: 1.1, Buyer: 0.08, Leave: 0.10, Removed: 0.01, ScanJoin: 0.55),
        new("instore_qr", 16, Activation: 0.64, LateStart: 0.40, Engagement: 1.2, Buyer: 0.18, Leave: 0.08, Removed: 0.01, ScanJoin: 0.65),
        new("invite_link", 18, Activation: 0.60, LateStart: 0.40, Engagement: 1.2, Buyer: 0.07, Leave: 0.10, Removed: 0.02, ScanJoin: 0.45),
        new("moments_ad", 10, Activation: 0.36, LateStart: 0.25, Engagement: 0.7, Buyer: 0.04, Leave: 0.25, Removed: 0.06, ScanJoin: 0.08),
        new(null, 6, Activation: 0.45, LateStart: 0.30, Engagement: 0.9, Buyer: 0.05, Leave: 0.14, Removed: 0.03, ScanJoin: 0),
    ];

    /// <summary>Index of <c>invite_link</c> in <see cref="All"/>.</summary>
    public const int InviteLink = 3;

    /// <summary>Index of <c>moments_ad</c> in <see cref="All"/>.</summary>
    public const int MomentsAd = 4;

    /// <summary>Index of <c>poster</c> in <see cref="All"/>.</summary>
    public const int Poster = 0;
}
