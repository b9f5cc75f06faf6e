namespace Tokenwise.Client.Models;

/// <summary>POST /v1/outcomes: a merged or closed PR, a deployment, an incident, a revert.</summary>
public sealed record OutcomeEvent
{
    public required string Id { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>pr_merged, pr_closed, deployment, incident_opened, incident_resolved or revert.</summary>
    public required string Kind { get; init; }
    public string? Repo { get; init; }
    public int? PrNumber { get; init; }
    public string? Sha { get; init; }
    public string? Branch { get; init; }
    public string? User { get; init; }
    public string? Team { get; init; }
    public string? Environment { get; init; }
    public string? Severity { get; init; }
    public string? Title { get; init; }
    public string? ExternalId { get; init; }
    public int? LinesAdded { get; init; }
    public int? LinesDeleted { get; init; }
    public bool? AiAssisted { get; init; }
    public IReadOnlyList<string>? SessionIds { get; init; }
    public OutcomeLinksModel? Links { get; init; }
}

public sealed record OutcomeLinksModel(IReadOnlyList<int>? PrNumbers = null, IReadOnlyList<string>? Shas = null);
