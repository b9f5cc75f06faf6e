namespace Tokenwise.Contracts;

/// <summary>
/// Something the work produced or broke: a merged or abandoned PR, a deployment, an incident opened or resolved, a
/// revert. <see cref="Key"/> is the idempotency key (sender id scoped by source).
/// </summary>
public sealed record OutcomeRecorded
{
    public required string Key { get; init; }
    public required string Source { get; init; }
    public required string Id { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>One of <see cref="OutcomeKinds"/>.</summary>
    public required string Kind { get; init; }
    public string? Repo { get; init; }
    public int? PrNumber { get; init; }

    /// <summary>The change's commit: a PR's merge commit, a deployment's sha, a revert's commit.</summary>
    public string? Sha { get; init; }

    /// <summary>A PR's head branch, for attributing usage that names the branch.</summary>
    public string? HeadRef { get; init; }

    /// <summary>Other commits of the change (a PR's head commit), for attributing usage that names a commit.</summary>
    public IReadOnlyList<string> CommitShas { get; init; } = [];
    public string? User { get; init; }
    public string? Team { get; init; }
    public string? Environment { get; init; }
    public string? Severity { get; init; }
    public string? Title { get; init; }

    /// <summary>The incident's id in its own system (a PagerDuty incident, a GitHub issue), linking opened to resolved.</summary>
    public string? ExternalId { get; init; }
    public int? LinesAdded { get; init; }
    public int? LinesDeleted { get; init; }
    public bool? AiAssisted { get; init; }
    public IReadOnlyList<string> SessionIds { get; init; } = [];
    public OutcomeLinks Links { get; init; } = new();
}
