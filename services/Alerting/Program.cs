using Tokenwise.Alerting;

await AlertingHost.Build(args).RunAsync();
