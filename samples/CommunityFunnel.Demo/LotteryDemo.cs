namespace CommunityFunnel.Demo;

/// <summary>The Lottery part of the demo.</summary>
internal static class LotteryDemo
{
    public static void Run(DemoContext demo)
    {
        _ = demo;
    }
}
