using CommunityFunnel.Events;
using CommunityFunnel.Members;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Demo;

/// <summary>
/// The Lifecycle part of the demo: the seed article's rules (nickname 城市-姓名-职业 within 24h, speak every 3 days,
/// 48h warning) over the simulated month, through the DI-registered lifecycle service and an action handler.
/// </summary>
internal static class LifecycleDemo
{
    public static async Task RunAsync(DemoContext demo)
    {
        var output = demo.Out;
        output.WriteLine();
        output.WriteLine("Member lifecycle (nickname 城市-姓名-职业 within 24h, speak every 3 days, 48h warning)");

        var handler = new CollectingHandler();
        var services = new ServiceCollection();
        services.AddCommunityFunnel()
            .UseInMemoryStores()
            .ConfigureLifecycle(o =>
            {
                o.DefaultPolicy.NicknamePattern = @"^[^-\s]+-[^-\s]+-[^-\s]+$";
                o.DefaultPolicy.SpeakEveryDays = 3;
                o.DefaultPolicy.Rules = "群昵称: 城市-姓名-职业; 至少每3天发言一次";
            })
            .AddMemberActionHandler(handler);
        using var provider = services.BuildServiceProvider(validateScopes: true);
        var lifecycle = provider.GetRequiredService<IMemberLifecycle>();

        // Events in the order the platform reported them (late callbacks included); deadlines processed as time passes.
        var duplicates = 0;
        foreach (var e in demo.Events)
        {
            await lifecycle.AdvanceToAsync(e.At);
            if ((await lifecycle.ApplyAsync(e)).Duplicate)
            {
                duplicates++;
            }
        }

        await lifecycle.AdvanceToAsync(demo.AsOf);
        output.WriteLine($"  {demo.Events.Count:N0} events applied ({duplicates:N0} already applied), {handler.Actions.Count:N0} actions:");
        foreach (var kind in Enum.GetValues<MemberActionKind>())
        {
            output.WriteLine($"    {kind,-15} {handler.Actions.Count(a => a.Kind == kind),8:N0}");
        }

        foreach (var reason in handler.Actions.Where(a => a.Kind == MemberActionKind.Removal).GroupBy(a => a.Reason).OrderBy(g => g.Key))
        {
            output.WriteLine($"      removals for {reason.Key}: {reason.Count():N0}");
        }

        output.WriteLine("  first actions:");
        foreach (var a in handler.Actions.Where(a => a.Kind is MemberActionKind.Reminder or MemberActionKind.Removal).Take(5))
        {
            var deadline = a.Deadline is { } d ? $", deadline {d:yyyy-MM-dd HH:mm}Z" : string.Empty;
            output.WriteLine($"    {a.At:yyyy-MM-dd HH:mm}Z {a.Kind} {a.Group}/{a.Member} ({a.Reason}{deadline})");
        }

        output.WriteLine("  state diagram (Mermaid):");
        foreach (var line in lifecycle.Graph("any").ToMermaid().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine("    " + line);
        }
    }

    private sealed class CollectingHandler : IMemberActionHandler
    {
        public List<MemberAction> Actions { get; } = [];

        public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
        {
            Actions.Add(action);
            return Task.CompletedTask;
        }
    }
}
