namespace CommunityFunnel.Cli;

/// <summary>One top-level command of <c>community-funnel</c>.</summary>
internal interface ICliCommand
{
    /// <summary>The word that selects it, e.g. <c>simulate</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c>.</summary>
    string Summary { get; }

    /// <summary>The usage text shown by <c>community-funnel NAME --help</c>.</summary>
    string Usage { get; }

    /// <summary>Runs with the words after the command name; returns the exit code.</summary>
    int Run(IReadOnlyList<string> args, CliContext context);
}
