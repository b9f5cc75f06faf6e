using Tokenwise.Accounting;

await AccountingHost.Build(args).RunAsync();
