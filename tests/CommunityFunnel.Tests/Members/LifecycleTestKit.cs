using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CommunityFunnel.Tests.Members;

/// <summary>Builds engines, policies and events for the lifecycle tests; records every action and transition.</summary>
internal sealed class LifecycleTestKit
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 10, 0, 0, TimeSpan.FromHours(8));
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private int _next;

    public LifecycleTestKit(LifecyclePolicy policy, TimeZoneInfo? zone = null)
        : this(new LifecycleOptions { DefaultPolicy = policy }, zone)
    {
    }

    public LifecycleTestKit(LifecycleOptions options, TimeZoneInfo? zone = null)
    {
        Engine = new LifecycleEngine(options, zone ?? Shanghai, TimeSpan.FromHours(24))
        {
            ActionSink = Actions.Add,
            TransitionSink = Transitions.Add,
        };
    }

    public LifecycleEngine Engine { get; }

    public List<MemberAction> Actions { get; } = [];

    public List<MemberTransition> Transitions { get; } = [];

    /// <summary>The seed article's group: 城市-姓名-职业, 24h grace, speak every 3 days, share screenshot in 48h, 48h warning.</summary>
    public static LifecyclePolicy SeedPolicy()
    {
        var policy = new LifecyclePolicy
        {
            NicknamePattern = @"^[^-\s]+-[^-\s]+-[^-\s]+$",
            SpeakEveryDays = 3,
            Rules = "nickname 城市-姓名-职业",
        };
        policy.RequiredTasks.Add(new LifecycleTask { Id = "share", Within = TimeSpan.FromHours(48) });
        policy.ProtectedMembers.Add("vip");
        return policy;
    }

    /// <summary>A container with the store-backed lifecycle under <paramref name="policy"/>, a fake clock and <paramref name="handler"/>.</summary>
    public static ServiceProvider Services(LifecyclePolicy policy, IMemberActionHandler handler)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider());
        services.AddCommunityFunnel().UseInMemoryStores().ConfigureLifecycle(o => o.DefaultPolicy = policy).AddMemberActionHandler(handler);
        return services.BuildServiceProvider();
    }

    public static CommunityEvent Event(string id, EventType type, string member, DateTimeOffset at, string group = "g1", MemberRole? role = null, string? task = null, string? nickname = null, long? amount = null) =>
        new(id, type, group, member, at, role: role, task: task, nickname: nickname, amount: amount);

    public bool Apply(EventType type, string member, DateTimeOffset at, string? task = null, string? nickname = null, MemberRole? role = null, string? id = null, string group = "g1") =>
        Engine.Apply(Event(id ?? $"e{_next++}", type, member, at, group, role, task, nickname, type == EventType.Order ? 100 : null));

    public MemberRecord Member(string member, string group = "g1")
    {
        var slot = Engine.Find(group, member);
        Assert.True(slot >= 0, $"member {member} unknown");
        return Engine.Record(slot);
    }

    public void AdvanceTo(DateTimeOffset now) => Engine.AdvanceTo(now.UtcTicks);

    public List<MemberAction> TakeActions()
    {
        var taken = Actions.ToList();
        Actions.Clear();
        return taken;
    }
}
