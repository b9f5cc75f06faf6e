using System.Text.Json;
using System.Text.RegularExpressions;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Outcomes.RecordingOutcomes;

/// <summary>
/// One item of POST /v1/outcomes. A repo is required except for incidents (they often come from a pager with no
/// repo); PR outcomes need a prNumber; a revert must link the PR or commit it reverts.
/// </summary>
internal static partial class CanonicalOutcomeReader
{
    public static OutcomeRecorded? Read(JsonElement item, string path, ValidationErrors errors, string source, DateTimeOffset now)
    {
        if (EventHeader.Read(item, path, errors, now) is not var (f, id, occurredAt)) return null;
        var kind = f.Text("kind", 40, required: true);
        if (kind is not null && !OutcomeKinds.All.Contains(kind))
            f.Fail("kind", "must be one of " + string.Join(", ", OutcomeKinds.All.Order()));
        var incident = kind is OutcomeKinds.IncidentOpened or OutcomeKinds.IncidentResolved;
        var repo = f.Text("repo", 200, required: !incident);
        if (repo is not null && !RepoName().IsMatch(repo)) f.Fail("repo", "must be owner/name");
        var prNumber = f.PositiveInt("prNumber");
        if (prNumber is null && kind is OutcomeKinds.PrMerged or OutcomeKinds.PrClosed && !f.Has("prNumber"))
            f.Fail("prNumber", "is required for a PR outcome");
        var title = f.Text("title", 500);
        var links = ReadLinks(f, errors);
        if (kind == OutcomeKinds.Revert && links.PrNumbers.Count == 0 && links.Shas.Count == 0)
            f.Fail("links", "a revert must name the PR (links.prNumbers) or commit (links.shas) it reverts");
        var linesAdded = f.Has("linesAdded") ? (int?)f.Count("linesAdded") : null;
        var linesDeleted = f.Has("linesDeleted") ? (int?)f.Count("linesDeleted") : null;

        return new OutcomeRecorded
        {
            Key = UsageKeys.For(source, id), Source = source, Id = id,
            OccurredAt = occurredAt, RecordedAt = now, Kind = kind ?? "", Repo = repo, PrNumber = prNumber,
            Sha = f.Text("sha", 64)?.ToLowerInvariant(), HeadRef = f.Text("branch", 250),
            User = f.Text("user"), Team = f.Text("team"), Environment = f.Text("environment", 100),
            Severity = f.Text("severity", 40), Title = title, ExternalId = f.Text("externalId"),
            LinesAdded = linesAdded, LinesDeleted = linesDeleted, AiAssisted = f.Flag("aiAssisted"),
            SessionIds = f.TextList("sessionIds", 100) ?? [],
            Links = incident ? links with { Shas = links.Shas.Union(OutcomeText.RootCauseShas(title)).ToList() } : links,
        };
    }

    private static OutcomeLinks ReadLinks(JsonFields f, ValidationErrors errors)
    {
        if (!f.TryGet("links", out var value)) return new OutcomeLinks();
        if (value.ValueKind != JsonValueKind.Object)
        {
            f.Fail("links", "must be an object {prNumbers, shas}");
            return new OutcomeLinks();
        }
        var links = new JsonFields(value, f.Name("links."), errors);
        var prNumbers = new List<int>();
        if (links.TryGet("prNumbers", out var numbers))
        {
            if (numbers.ValueKind == JsonValueKind.Array && numbers.EnumerateArray().All(n => n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var x) && x > 0))
                prNumbers.AddRange(numbers.EnumerateArray().Select(n => n.GetInt32()));
            else links.Fail("prNumbers", "must be an array of positive integers");
        }
        return new OutcomeLinks { PrNumbers = prNumbers, Shas = (links.TextList("shas", 100, 64) ?? []).Select(s => s.ToLowerInvariant()).ToList() };
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    private static partial Regex RepoName();
}
