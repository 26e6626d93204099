namespace CommunityFunnel.Demo;

/// <summary>The Lifecycle part of the demo.</summary>
internal static class LifecycleDemo
{
    public static void Run(DemoContext demo)
    {
        _ = demo;
    }
}
