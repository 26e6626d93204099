namespace CommunityFunnel.Demo;

/// <summary>The Activation part of the demo.</summary>
internal static class ActivationDemo
{
    public static void Run(DemoContext demo)
    {
        _ = demo;
    }
}
