namespace CommunityFunnel.Demo;

/// <summary>The Rewards part of the demo.</summary>
internal static class RewardsDemo
{
    public static void Run(DemoContext demo)
    {
        _ = demo;
    }
}
