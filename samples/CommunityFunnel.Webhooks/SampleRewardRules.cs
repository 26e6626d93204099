using CommunityFunnel.Rewards;

namespace CommunityFunnel.Webhooks;

/// <summary>The sample's small rule set: points for a first message each month and for each share screenshot.</summary>
internal static class SampleRewardRules
{
    public static RewardRuleSet Create() => new()
    {
        TimeZone = "Asia/Shanghai",
        Rules =
        [
            new RewardRule
            {
                Id = "first-message-of-month",
                Trigger = new RewardTrigger { Kind = RewardTriggerKind.Count, Event = Events.EventType.Message, Count = 1, Period = RewardPeriod.Month },
                Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 1 }],
            },
            new RewardRule
            {
                Id = "share-screenshot",
                Trigger = new RewardTrigger { Kind = RewardTriggerKind.Submitted, Task = "share-screenshot" },
                Rewards = [new RewardSpec { Kind = RewardKind.Points, Quantity = 5 }],
            },
        ],
    };
}
