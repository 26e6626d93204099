using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Rewards plug-ins for <see cref="CommunityFunnelBuilder"/>.</summary>
public static class RewardsBuilderExtensions
{
    /// <summary>Adds reward rules and budgets (validated when the host starts).</summary>
    public static CommunityFunnelBuilder AddRewardRules(this CommunityFunnelBuilder builder, Action<RewardsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the rules and budgets of a rule set, e.g. <see cref="RewardPresets.SeedArticle"/> or <see cref="RewardRuleSet.Parse"/>.</summary>
    public static CommunityFunnelBuilder AddRewardRules(this CommunityFunnelBuilder builder, RewardRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return builder.AddRewardRules(o => o.Add(rules));
    }

    /// <summary>Replaces the in-memory ledger with the host's store (which must give the guarantees of <see cref="IRewardLedger"/>).</summary>
    public static CommunityFunnelBuilder UseRewardLedger<TLedger>(this CommunityFunnelBuilder builder)
        where TLedger : class, IRewardLedger
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IRewardLedger, TLedger>());
        return builder;
    }

    /// <summary>Replaces where member facts for eligibility come from (e.g. the lifecycle part or the host's CRM).</summary>
    public static CommunityFunnelBuilder UseMemberDirectory<TDirectory>(this CommunityFunnelBuilder builder)
        where TDirectory : class, IMemberDirectory
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMemberDirectory, TDirectory>());
        return builder;
    }
}
