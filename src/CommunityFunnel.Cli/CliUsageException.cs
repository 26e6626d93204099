namespace CommunityFunnel.Cli;

/// <summary>Bad usage or bad input: reported on standard error with exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
