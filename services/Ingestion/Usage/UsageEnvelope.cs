using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Usage;

/// <summary>
/// The fields every JSON usage shape shares (id, time, who, which model, context); each shape then adds its
/// token counts. Returns null only when the item is not an object; field errors go to <paramref name="errors"/>.
/// </summary>
internal static class UsageEnvelope
{
    public static (UsageRecorded Usage, JsonFields Fields)? Read(
        JsonElement item,
        string path,
        ValidationErrors errors,
        IntakeContext intake,
        string? provider = null
    )
    {
        if (EventHeader.Read(item, path, errors, intake.Now) is not var (f, id, occurredAt))
            return null;
        var sentProvider = f.Text("provider", IntakeRules.ProviderBytes)?.ToLowerInvariant();
        if (sentProvider is not null && IntakeRules.ProviderProblem(sentProvider) is { } providerProblem)
            f.Fail("provider", providerProblem);
        var repo = f.Text("repo");
        if (repo is not null && IntakeRules.RepoProblem(repo) is { } repoProblem)
            f.Fail("repo", repoProblem);
        var sha = f.Text("commitSha", 64);
        if (sha is not null && IntakeRules.ShaProblem(sha) is { } shaProblem)
            f.Fail("commitSha", shaProblem);

        var usage = new UsageRecorded
        {
            Key = UsageKeys.For(intake.Source, id),
            Source = intake.Source,
            Id = id,
            OccurredAt = occurredAt,
            RecordedAt = intake.Now,
            User = f.Text("user", required: true) ?? "",
            Team = f.Text("team"),
            Provider = sentProvider ?? provider,
            Model = f.Text("model", required: true) ?? "",
            ReportedCostUsd = f.Money("reportedCostUsd", intake.Limits.MaxReportedCostUsd),
            Context = new UsageContext
            {
                Tool = f.Text("tool", IntakeRules.ToolBytes),
                SessionId = f.Text("sessionId"),
                AgentName = f.Text("agentName"),
                RequestId = f.Text("requestId"),
                Repo = repo,
                Branch = f.Text("branch", IntakeRules.BranchBytes),
                PrNumber = f.PositiveInt("prNumber"),
                CommitSha = sha,
                Tags = f.StringMap("tags", IntakeRules.MaxTags),
            },
        };
        return (usage, f);
    }

    /// <summary>
    /// A provider's native shape: the envelope plus its <c>usage</c> object, whose fields are read (and named in errors)
    /// as "usage.…". The usage object's fields are null when it is missing, which is then recorded as an error.
    /// </summary>
    public static (UsageRecorded Usage, JsonFields? UsageFields)? ReadNative(
        JsonElement item,
        string path,
        ValidationErrors errors,
        IntakeContext intake,
        string provider,
        string providerName
    )
    {
        if (Read(item, path, errors, intake, provider) is not var (usage, f))
            return null;
        if (f.TryGet("usage", out var usageObject) && usageObject.ValueKind == JsonValueKind.Object)
            return (usage, new JsonFields(usageObject, f.Name("usage."), errors));
        f.Fail("usage", $"is required: an {providerName} usage object");
        return (usage, null);
    }
}
