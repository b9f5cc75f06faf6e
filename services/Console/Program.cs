using Tokenwise.Console;

var app = ConsoleHost.Build(args);
await ConsoleHost.PrepareAsync(app);
await app.RunAsync();
