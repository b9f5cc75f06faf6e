using Tokenwise.Outcomes;

await OutcomesHost.Build(args).RunAsync();
