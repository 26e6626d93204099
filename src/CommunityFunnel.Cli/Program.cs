using CommunityFunnel.Cli;

return CliApp.Run(args, CliContext.FromConsole());
