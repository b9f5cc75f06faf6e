namespace Tokenwise.Contracts;

/// <summary>Where a usage event came from: the tool, session and code it worked on. All optional.</summary>
public sealed record UsageContext
{
    public string? Tool { get; init; }
    public string? SessionId { get; init; }
    public string? AgentName { get; init; }
    public string? RequestId { get; init; }
    public string? Repo { get; init; }
    public string? Branch { get; init; }
    public int? PrNumber { get; init; }
    public string? CommitSha { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
