namespace Tokenwise.Client.Models;

/// <summary>The answer to an accepted ingest: how many events were new and how many had been seen before.</summary>
public sealed record IngestResult(int Accepted, int Duplicates);
