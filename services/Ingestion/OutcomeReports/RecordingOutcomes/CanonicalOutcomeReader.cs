using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.OutcomeReports.RecordingOutcomes;

/// <summary>
/// One item of POST /v1/outcomes. A repo is required except for incidents (they often come from a pager with no
/// repo); PR outcomes need a prNumber; a revert must link the PR or commit it reverts.
/// </summary>
internal static class CanonicalOutcomeReader
{
    public static OutcomeRecorded? Read(JsonElement item, string path, ValidationErrors errors, IntakeContext intake)
    {
        if (EventHeader.Read(item, path, errors, intake.Now) is not var (f, id, occurredAt))
            return null;
        var kind = f.Text("kind", 40, required: true);
        if (kind is not null && !OutcomeKinds.All.Contains(kind))
            f.Fail("kind", "must be one of " + string.Join(", ", OutcomeKinds.All.Order()));
        var incident = kind is OutcomeKinds.IncidentOpened or OutcomeKinds.IncidentResolved;
        var repo = f.Text("repo", required: !incident);
        if (repo is not null && IntakeRules.RepoProblem(repo) is { } repoProblem)
            f.Fail("repo", repoProblem);
        var prNumber = f.PositiveInt("prNumber");
        if (prNumber is null && kind is OutcomeKinds.PrMerged or OutcomeKinds.PrClosed && !f.Has("prNumber"))
            f.Fail("prNumber", "is required for a PR outcome");
        var sha = f.Text("sha", 64);
        if (sha is not null && IntakeRules.ShaProblem(sha) is { } shaProblem)
            f.Fail("sha", shaProblem);
        var title = f.Text("title", IntakeRules.TitleBytes);
        var links = ReadLinks(f, errors);
        if (kind == OutcomeKinds.Revert && links.PrNumbers.Count == 0 && links.Shas.Count == 0)
            f.Fail("links", "a revert must name the PR (links.prNumbers) or commit (links.shas) it reverts");
        var linesAdded = f.Has("linesAdded") ? (int?)f.Count("linesAdded", int.MaxValue) : null;
        var linesDeleted = f.Has("linesDeleted") ? (int?)f.Count("linesDeleted", int.MaxValue) : null;

        return new OutcomeRecorded
        {
            Key = UsageKeys.For(intake.Source, id),
            Source = intake.Source,
            Id = id,
            OccurredAt = occurredAt,
            RecordedAt = intake.Now,
            Kind = kind ?? "",
            Repo = repo,
            PrNumber = prNumber,
            Sha = sha?.ToLowerInvariant(),
            HeadRef = f.Text("branch", IntakeRules.BranchBytes),
            User = f.Text("user"),
            Team = f.Text("team"),
            Environment = f.Text("environment", IntakeRules.ShortTextBytes),
            Severity = f.Text("severity", IntakeRules.ShortTextBytes),
            Title = title,
            ExternalId = f.Text("externalId"),
            LinesAdded = linesAdded,
            LinesDeleted = linesDeleted,
            AiAssisted = f.Flag("aiAssisted"),
            SessionIds = f.TextList("sessionIds", IntakeRules.MaxListItems) ?? [],
            Links = incident
                ? links with
                {
                    Shas = links.Shas.Union(OutcomeText.RootCauseShas(title)).ToList(),
                }
                : links,
        };
    }

    private static OutcomeLinks ReadLinks(JsonFields f, ValidationErrors errors)
    {
        if (!f.TryGet("links", out var value))
            return new OutcomeLinks();
        if (value.ValueKind != JsonValueKind.Object)
        {
            f.Fail("links", "must be an object {prNumbers, shas}");
            return new OutcomeLinks();
        }
        var links = new JsonFields(value, f.Name("links."), errors);
        var prNumbers = new List<int>();
        if (links.TryGet("prNumbers", out var numbers))
        {
            if (
                numbers.ValueKind == JsonValueKind.Array
                && numbers.GetArrayLength() <= IntakeRules.MaxListItems
                && numbers
                    .EnumerateArray()
                    .All(n => n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var x) && x > 0)
            )
                prNumbers.AddRange(numbers.EnumerateArray().Select(n => n.GetInt32()));
            else
                links.Fail("prNumbers", $"must be an array of at most {IntakeRules.MaxListItems} positive integers");
        }
        var shas = links.TextList("shas", IntakeRules.MaxListItems, 64) ?? [];
        if (shas.Select(IntakeRules.ShaProblem).FirstOrDefault(p => p is not null) is { } problem)
            links.Fail("shas", "each entry " + problem);
        return new OutcomeLinks { PrNumbers = prNumbers, Shas = shas.Select(s => s.ToLowerInvariant()).ToList() };
    }
}
