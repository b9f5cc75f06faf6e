using Tokenwise.Ingestion;

await IngestionHost.Build(args).RunAsync();
