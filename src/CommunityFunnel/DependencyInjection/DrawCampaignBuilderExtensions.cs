using CommunityFunnel.Campaigns;
using CommunityFunnel;
using CommunityFunnel.DependencyInjection;
using CommunityFunnel.Lottery;
using CommunityFunnel.Members;
using CommunityFunnel.Rewards;
using CommunityFunnel.Rewards.Coupons;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Recurring draws for <see cref="CommunityFunnelBuilder"/>: templates and the <see cref="IDrawCampaign"/> that runs them.</summary>
public static class DrawCampaignBuilderExtensions
{
    /// <summary>
    /// Adds draw templates and registers <see cref="IDrawCampaign"/>. Validated when the host starts, with the reward
    /// rules: a rule granting tickets for a draw that no template matches fails the start, naming both.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="templates">The templates.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder AddDrawTemplates(this CommunityFunnelBuilder builder, params DrawTemplate[] templates)
    {
        ArgumentNullException.ThrowIfNull(templates);
        return builder.AddDrawTemplates(o =>
        {
            foreach (var t in templates)
            {
                o.Templates.Add(t);
            }
        });
    }

    /// <summary>Adds draw templates through their options and registers <see cref="IDrawCampaign"/> (validated at start).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Adds the templates.</param>
    /// <returns>The builder.</returns>
    public static CommunityFunnelBuilder AddDrawTemplates(this CommunityFunnelBuilder builder, Action<DrawCampaignOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<DrawCampaignOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DrawCampaignOptions>, DrawTemplateValidator>());
        services.TryAddSingleton<IDrawCampaign>(sp => new DrawCampaign(
            sp.GetRequiredService<IOptions<DrawCampaignOptions>>().Value.Templates,
            sp.GetRequiredService<IOptions<RewardsOptions>>().Value.Budgets,
            TimeZones.Find(sp.GetRequiredService<IOptions<CommunityFunnelOptions>>().Value.TimeZoneId, nameof(CommunityFunnelOptions.TimeZoneId)),
            sp.GetStore<IRewardLedger>(),
            sp.GetRequiredService<IDrawService>(),
            sp.GetStore<IDrawStore>(),
            sp.GetStore<IMemberDirectory>(),
            sp.GetService<ICouponStore>() is null ? null : sp.GetService<ICouponService>(),
            sp.GetService<IPublicEntropySource>()));
        return builder;
    }
}
