using Tokenwise.Console;

await ConsoleHost.Build(args).RunAsync();
