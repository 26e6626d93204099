using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommunityFunnel.Hosting;

/// <summary>Runs the <see cref="RuntimeScheduler"/> when <see cref="HostedRuntimeOptions.RunScheduler"/> is on.</summary>
internal sealed class SchedulerHost : IHostedService
{
    private readonly IServiceProvider _services;
    private readonly HostedRuntimeOptions _options;
    private RuntimeScheduler? _scheduler;

    public SchedulerHost(IServiceProvider services, IOptions<HostedRuntimeOptions> options)
    {
        _services = services;
        _options = options.Value;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.RunScheduler)
        {
            return Task.CompletedTask;
        }

        _scheduler = _services.GetRequiredService<RuntimeScheduler>();
        return _scheduler.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        _scheduler is null ? Task.CompletedTask : _scheduler.StopAsync(cancellationToken);
}
