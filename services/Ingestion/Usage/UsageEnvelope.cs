using System.Text.Json;
using System.Text.RegularExpressions;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Usage;

/// <summary>
/// The fields every JSON usage shape shares (id, time, who, which model, context); each shape then adds its
/// token counts. Returns null only when the item is not an object; field errors go to <paramref name="errors"/>.
/// </summary>
internal static partial class UsageEnvelope
{
    public const int MaxTags = 32;

    public static (UsageRecorded Usage, JsonFields Fields)? Read(
        JsonElement item, string path, ValidationErrors errors, string source, DateTimeOffset now, string? provider = null)
    {
        if (EventHeader.Read(item, path, errors, now) is not var (f, id, occurredAt)) return null;
        var sentProvider = f.Text("provider", 50)?.ToLowerInvariant();
        if (sentProvider is not null && !ProviderName().IsMatch(sentProvider))
            f.Fail("provider", "must be a lower-case provider name such as anthropic, openai or google");
        var repo = f.Text("repo", 200);
        if (repo is not null && !RepoName().IsMatch(repo)) f.Fail("repo", "must be owner/name");

        var usage = new UsageRecorded
        {
            Key = UsageKeys.For(source, id),
            Source = source,
            Id = id,
            OccurredAt = occurredAt,
            RecordedAt = now,
            User = f.Text("user", 200, required: true) ?? "",
            Team = f.Text("team", 200),
            Provider = sentProvider ?? provider,
            Model = f.Text("model", 200, required: true) ?? "",
            ReportedCostUsd = f.Money("reportedCostUsd"),
            Context = new UsageContext
            {
                Tool = f.Text("tool", 100),
                SessionId = f.Text("sessionId", 200),
                AgentName = f.Text("agentName", 200),
                RequestId = f.Text("requestId", 200),
                Repo = repo,
                Branch = f.Text("branch", 250),
                PrNumber = f.PositiveInt("prNumber"),
                CommitSha = f.Text("commitSha", 64),
                Tags = f.StringMap("tags", MaxTags),
            },
        };
        return (usage, f);
    }

    /// <summary>
    /// A provider's native shape: the envelope plus its <c>usage</c> object, whose fields are read (and named in errors)
    /// as "usage.…". The usage object's fields are null when it is missing, which is then recorded as an error.
    /// </summary>
    public static (UsageRecorded Usage, JsonFields? UsageFields)? ReadNative(
        JsonElement item, string path, ValidationErrors errors, string source, DateTimeOffset now, string provider, string providerName)
    {
        if (Read(item, path, errors, source, now, provider) is not var (usage, f)) return null;
        if (f.TryGet("usage", out var usageObject) && usageObject.ValueKind == JsonValueKind.Object)
            return (usage, new JsonFields(usageObject, f.Name("usage."), errors));
        f.Fail("usage", $"is required: an {providerName} usage object");
        return (usage, null);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex ProviderName();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    private static partial Regex RepoName();
}
