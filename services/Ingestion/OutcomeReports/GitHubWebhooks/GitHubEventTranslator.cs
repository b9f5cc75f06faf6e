using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.OutcomeReports.Webhooks;
using Tokenwise.Ingestion.Usage;

namespace Tokenwise.Ingestion.OutcomeReports.GitHubWebhooks;

/// <summary>What a GitHub delivery means as outcomes; an empty list with a reason when it means nothing to us.</summary>
internal sealed record Translation(IReadOnlyList<OutcomeRecorded> Outcomes, string? IgnoredBecause = null)
{
    public static Translation Ignore(string reason) => new([], reason);
}

/// <summary>
/// pull_request closed+merged → pr_merged (plus a revert when GitHub's revert button made it); closed unmerged →
/// pr_closed; deployment_status success → deployment; issues opened/labeled with "incident" → incident_opened,
/// closed → incident_resolved. Ids are the delivery id, so a redelivery dedupes.
/// </summary>
internal static class GitHubEventTranslator
{
    public const string Source = "github";
    public const string IncidentLabel = "incident";

    public static Translation Translate(string eventName, string delivery, JsonElement payload, DateTimeOffset now)
    {
        var repo = Json.Str(payload, "repository", "full_name");
        var action = Json.Str(payload, "action");
        OutcomeRecorded Outcome(string kind, DateTimeOffset? at, string idSuffix = "") =>
            new()
            {
                Key = UsageKeys.For(Source, delivery + idSuffix),
                Source = Source,
                Id = delivery + idSuffix,
                OccurredAt = at ?? now,
                RecordedAt = now,
                Kind = kind,
                Repo = repo,
            };

        switch (eventName)
        {
            case "pull_request" when action == "closed":
            {
                var pr = Json.At(payload, "pull_request") ?? default;
                var merged = Json.Bool(pr, "merged") == true;
                var body = Json.Str(pr, "body");
                var number = Json.Int(payload, "number") ?? Json.Int(pr, "number");
                var outcome = Outcome(
                    merged ? OutcomeKinds.PrMerged : OutcomeKinds.PrClosed,
                    merged ? Json.Time(pr, "merged_at") : Json.Time(pr, "closed_at")
                ) with
                {
                    PrNumber = number,
                    Sha = Json.Str(pr, "merge_commit_sha")?.ToLowerInvariant(),
                    HeadRef = Json.Str(pr, "head", "ref"),
                    CommitShas = new[] { Json.Str(pr, "head", "sha") }
                        .OfType<string>()
                        .Select(s => s.ToLowerInvariant())
                        .ToList(),
                    User = Json.Str(pr, "user", "login"),
                    Title = OutcomeText.Title(Json.Str(pr, "title")),
                    LinesAdded = Json.Int(pr, "additions"),
                    LinesDeleted = Json.Int(pr, "deletions"),
                    AiAssisted = OutcomeText.IsAiAssisted(Json.LabelNames(pr, "labels"), body),
                    SessionIds = OutcomeText.SessionIds(body),
                };
                if (merged && OutcomeText.RevertedPr(body) is { } reverted)
                    return new Translation([
                        outcome,
                        outcome with
                        {
                            Key = outcome.Key + "/revert",
                            Id = outcome.Id + "/revert",
                            Kind = OutcomeKinds.Revert,
                            Links = new OutcomeLinks { PrNumbers = [reverted] },
                        },
                    ]);
                return new Translation([outcome]);
            }
            case "deployment_status":
            {
                var state = Json.Str(payload, "deployment_status", "state");
                if (state != "success")
                    return Translation.Ignore($"deployment_status '{state}' is not a success");
                return new Translation([
                    Outcome(
                        OutcomeKinds.Deployment,
                        Json.Time(payload, "deployment_status", "created_at")
                            ?? Json.Time(payload, "deployment", "created_at")
                    ) with
                    {
                        Sha = Json.Str(payload, "deployment", "sha")?.ToLowerInvariant(),
                        Environment =
                            Json.Str(payload, "deployment_status", "environment")
                            ?? Json.Str(payload, "deployment", "environment"),
                        User = Json.Str(payload, "deployment", "creator", "login"),
                    },
                ]);
            }
            case "issues":
            {
                var issue = Json.At(payload, "issue") ?? default;
                var labels = Json.LabelNames(issue, "labels");
                var isIncident = labels.Contains(IncidentLabel, StringComparer.OrdinalIgnoreCase);
                var kind = action switch
                {
                    "opened" when isIncident => OutcomeKinds.IncidentOpened,
                    "labeled"
                        when string.Equals(
                            Json.Str(payload, "label", "name"),
                            IncidentLabel,
                            StringComparison.OrdinalIgnoreCase
                        ) => OutcomeKinds.IncidentOpened,
                    "closed" when isIncident => OutcomeKinds.IncidentResolved,
                    _ => null,
                };
                if (kind is null)
                    return Translation.Ignore($"issues '{action}' is not an incident change");
                var title = Json.Str(issue, "title");
                return new Translation([
                    Outcome(
                        kind,
                        kind == OutcomeKinds.IncidentResolved
                            ? Json.Time(issue, "closed_at")
                            : Json.Time(issue, "created_at")
                    ) with
                    {
                        Title = OutcomeText.Title(title),
                        ExternalId = $"{repo}#{Json.Int(issue, "number")}",
                        User = Json.Str(issue, "user", "login"),
                        Links = new OutcomeLinks { Shas = OutcomeText.RootCauseShas(title, Json.Str(issue, "body")) },
                    },
                ]);
            }
            default:
                return Translation.Ignore($"'{eventName}{(action is null ? "" : "." + action)}' is not an outcome");
        }
    }
}
