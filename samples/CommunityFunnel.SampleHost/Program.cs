using CommunityFunnel.SampleHost;

// dotnet run --project samples/CommunityFunnel.SampleHost   (README.md beside this file: endpoints, settings, stores)
var app = SampleHostApp.Build(args);
await app.RunAsync();
