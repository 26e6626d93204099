using CommunityFunnel.Events;
using CommunityFunnel.Members;
using CommunityFunnel.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommunityFunnel.Hosting.Tests;

/// <summary>
/// A service provider with the hosted runtime on in-memory stores, a fake clock and recording sinks; the action outbox
/// off unless asked for (OutboxTests turn it on).
/// </summary>
internal sealed class Runtime : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private Runtime(ServiceProvider provider, FakeTimeProvider clock, RecordingHandler handler, TestLoggerProvider logs)
    {
        Provider = provider;
        Clock = clock;
        Handler = handler;
        Logs = logs;
    }

    public ServiceProvider Provider { get; }

    public FakeTimeProvider Clock { get; }

    public RecordingHandler Handler { get; }

    public TestLoggerProvider Logs { get; }

    public IEventIntake Intake => Provider.GetRequiredService<IEventIntake>();

    public IEventLogStore Log => Provider.GetRequiredService<IEventLogStore>();

    public IMemberLifecycle Lifecycle => Provider.GetRequiredService<IMemberLifecycle>();

    public RuntimeScheduler Scheduler => Provider.GetRequiredService<RuntimeScheduler>();

    public static Runtime Build(
        FakeTimeProvider? clock = null,
        Action<IServiceCollection>? services = null,
        Action<CommunityFunnelBuilder>? builder = null,
        Action<HostedRuntimeOptions>? options = null,
        bool outbox = false)
    {
        clock ??= new FakeTimeProvider(T0);
        var handler = new RecordingHandler();
        var logs = new TestLoggerProvider();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(clock);
        collection.AddSingleton(logs);
        collection.AddSingleton(typeof(ILogger<>), typeof(TestLogger<>));
        services?.Invoke(collection);
        var b = collection.AddCommunityFunnel().UseInMemoryStores()
            .ConfigureLifecycle(o => o.DefaultPolicy = new LifecyclePolicy { NicknamePattern = "^[^-]+-[^-]+-[^-]+$" })
            .AddMemberActionHandler(handler)
            .AddHostedRuntime(o =>
            {
                o.Outbox.Enabled = outbox; // the intake and scheduler tests watch handlers called on the caller's flow
                options?.Invoke(o);
            });
        builder?.Invoke(b);
        return new Runtime(collection.BuildServiceProvider(), clock, handler, logs);
    }

    /// <summary>Every outbox entry (pending, delivered, dead) whose action is a <typeparamref name="T"/>.</summary>
    public async Task<List<OutboxEntry>> OutboxEntriesAsync<T>()
        where T : OutboxAction
    {
        var outbox = Provider.GetRequiredService<IActionOutbox>();
        var all = new List<OutboxEntry>();
        foreach (var state in new[] { OutboxState.Pending, OutboxState.Delivered, OutboxState.Dead })
        {
            all.AddRange(await outbox.ListAsync(state, 1000, CancellationToken.None));
        }

        return all.Where(e => e.Action is T).ToList();
    }

    public static CommunityEvent Joined(string id, string member, DateTimeOffset at, string group = "g1") =>
        new(id, EventType.Joined, group, member, at, channel: "poster");

    public static CommunityEvent Message(string id, string member, DateTimeOffset at, string group = "g1") =>
        new(id, EventType.Message, group, member, at);

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}

internal sealed class RecordingHandler : IMemberActionHandler
{
    private readonly List<MemberAction> _actions = [];

    public IReadOnlyList<MemberAction> Actions
    {
        get
        {
            lock (_actions)
            {
                return [.. _actions];
            }
        }
    }

    public Task HandleAsync(MemberAction action, CancellationToken cancellationToken)
    {
        lock (_actions)
        {
            _actions.Add(action);
        }

        return Task.CompletedTask;
    }
}

internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Fields, Exception? Exception);

internal sealed class TestLogger<T>(TestLoggerProvider owner) : ILogger<T>
{
    private readonly ILogger _inner = owner.CreateLogger(typeof(T).FullName!);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _inner.Log(logLevel, eventId, state, exception, formatter);
}

internal sealed class TestLoggerProvider : ILoggerProvider
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new TestLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class TestLogger(TestLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (k, v) in pairs)
                {
                    fields[k] = v;
                }
            }

            lock (owner._entries)
            {
                owner._entries.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), fields, exception));
            }
        }
    }
}

/// <summary>The store's outbox, whose <see cref="IActionOutbox.EnqueueAsync"/> throws while <see cref="Down"/> is set (the instance "stops" there).</summary>
internal sealed class BreakableOutbox(IActionOutbox inner) : IActionOutbox
{
    /// <summary>Puts a breakable outbox around the store's.</summary>
    public static void Wrap(CommunityFunnelBuilder b, Action<BreakableOutbox> made)
    {
        var original = b.Services.Last(d => d.ServiceType == typeof(IActionOutbox));
        b.Services.Remove(original);
        b.Services.AddSingleton<IActionOutbox>(sp =>
        {
            var o = new BreakableOutbox((IActionOutbox)(original.ImplementationInstance ?? original.ImplementationFactory!(sp)));
            made(o);
            return o;
        });
    }

    public bool Down { get; set; }

    public Task<int> EnqueueAsync(IReadOnlyList<OutboxEntry> entries, CancellationToken cancellationToken) =>
        Down ? throw new IOException("the database went away") : inner.EnqueueAsync(entries, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int max, CancellationToken cancellationToken) =>
        inner.ClaimAsync(owner, now, leaseUntil, max, cancellationToken);

    public Task<bool> MarkDeliveredAsync(string id, string owner, DateTimeOffset at, CancellationToken cancellationToken) =>
        inner.MarkDeliveredAsync(id, owner, at, cancellationToken);

    public Task<bool> MarkFailedAsync(string id, string owner, DateTimeOffset at, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken) =>
        inner.MarkFailedAsync(id, owner, at, error, retryAt, cancellationToken);

    public Task<OutboxEntry?> FindAsync(string id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxState state, int max, CancellationToken cancellationToken) => inner.ListAsync(state, max, cancellationToken);

    public Task<OutboxStatistics> GetStatisticsAsync(CancellationToken cancellationToken) => inner.GetStatisticsAsync(cancellationToken);
}
