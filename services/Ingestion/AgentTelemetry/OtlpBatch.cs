using Tokenwise.Contracts;

namespace Tokenwise.Ingestion.AgentTelemetry;

/// <summary>What one OTLP request became: usage events, activity signals, and the records skipped with why.</summary>
internal sealed class OtlpBatch
{
    public List<UsageRecorded> Usage { get; } = [];
    public List<ActivityRecorded> Activities { get; } = [];
    public int Skipped { get; private set; }
    private readonly SortedSet<string> _reasons = new(StringComparer.Ordinal);

    public void Skip(string reason)
    {
        Skipped++;
        _reasons.Add(reason);
    }

    /// <summary>OTLP's partialSuccess message: the distinct reasons, briefly.</summary>
    public string? SkipMessage => _reasons.Count == 0 ? null : string.Join("; ", _reasons.Take(10));
}
