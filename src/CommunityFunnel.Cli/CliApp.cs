using System.Reflection;
using System.Text.Json;
using CommunityFunnel.Cli.Commands;
using CommunityFunnel.Events;

namespace CommunityFunnel.Cli;

/// <summary>
/// The <c>community-funnel</c> command line. Exit codes: 0 success, 1 a negative finding (e.g. a proof that does
/// not verify), 2 bad usage or bad input. Errors go to standard error; data to standard output.
/// </summary>
internal static class CliApp
{
    public const int Success = 0;
    public const int NegativeFinding = 1;
    public const int BadInput = 2;

    private static readonly ICliCommand[] Commands =
    [
        new SimulateCommand(),
        new ActivationCommand(),
        new FunnelCommand(),
        new ReportCommand(),
        new LifecycleCommand(),
        new RewardsCommand(),
        new DrawCommand(),
        new CouponsCommand(),
        new CampaignCommand(),
    ];

    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "unknown";

    public static int Run(IReadOnlyList<string> args, CliContext context)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            context.Out.Write(HelpText());
            return args.Count == 0 ? BadInput : Success;
        }

        if (args[0] == "--version")
        {
            context.Out.WriteLine(Version);
            return Success;
        }

        var command = Array.Find(Commands, c => c.Name == args[0]);
        if (command is null)
        {
            context.Err.WriteLine($"community-funnel: unknown command '{args[0]}'. Run 'community-funnel --help'.");
            return BadInput;
        }

        var rest = args.Skip(1).ToArray();
        if (rest.Length > 0 && rest[^1] is "--help" or "-h")
        {
            context.Out.Write(command.Usage);
            return Success;
        }

        try
        {
            return command.Run(rest, context);
        }
        catch (CliUsageException e)
        {
            return Fail(context, command, e.Message);
        }
        catch (EventLogException e)
        {
            return Fail(context, command, e.Message);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException
                                     or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return Fail(context, command, e.Message);
        }
    }

    private static int Fail(CliContext context, ICliCommand command, string message)
    {
        context.Err.WriteLine($"community-funnel {command.Name}: {message}");
        return BadInput;
    }

    private static string HelpText()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"community-funnel {Version}: the CommunityFunnel command line");
        text.AppendLine();
        text.AppendLine("Usage: community-funnel <command> [options]   (community-funnel <command> --help for its options)");
        text.AppendLine();
        text.AppendLine("Commands:");
        foreach (var c in Commands)
        {
            text.AppendLine($"  {c.Name,-12} {c.Summary}");
        }

        text.AppendLine();
        text.AppendLine("Options:");
        text.AppendLine("  --help       show this help");
        text.AppendLine("  --version    show the version");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 success, 1 a negative finding (e.g. a proof that does not verify), 2 bad usage or bad input.");
        return text.ToString();
    }
}
