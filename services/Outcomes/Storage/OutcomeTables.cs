using Tokenwise.ServiceDefaults.Persistence;
using Weasel.Postgresql.Tables;

namespace Tokenwise.Outcomes.Storage;

/// <summary>
/// What Outcomes knows, as flat tables written in the same transactions as the events that record it:
/// <c>usage_facts</c> (each charged usage and the PR it is attributed to), <c>prs</c> (merged and closed PRs) and
/// <c>failures</c> (incidents and reverts with the PRs and commits they name).
/// </summary>
public static class OutcomeTables
{
    public const string UsageFacts = "usage_facts";
    public const string UsageDaily = UsageDailyTable.Name;
    public const string UsageDailyByPerson = UsageDailyTable.ByPersonName;
    public const string Prs = "prs";
    public const string Failures = "failures";
    public const string Deployments = "deployments";
    public const string People = PeopleTable.Name;

    /// <summary>How many leading digits of a commit sha its index keeps: the shortest sha Ingestion accepts.</summary>
    public const int ShortShaLength = 7;

    /// <summary>
    /// The indexed leading digits of a sha column, in lower case (senders may write hex either way): a sha and any
    /// longer or shorter form of it share them. Written as PostgreSQL prints it back ("left" quoted), or the schema
    /// check would see a different index and rebuild it at every start.
    /// </summary>
    public static string ShortSha(string column) => $"lower(\"left\"({column}, {ShortShaLength}))";

    public static IEnumerable<Table> Create(string schema)
    {
        var usage = new Table($"{schema}.{UsageFacts}");
        usage.AddColumn<string>("usage_key").AsPrimaryKey();
        usage.AddColumn("user_id", "text").NotNull();
        usage.AddColumn("team", "text");
        usage.AddColumn("occurred_at", "timestamptz").NotNull();
        foreach (var text in new[] { "repo", "branch", "commit_sha", "session_id", "attributed_pr", "rule" })
            usage.AddColumn(text, "text");
        usage.AddColumn("pr_number", "integer");
        usage.AddColumn("cost", "numeric").NotNull();
        // The price book the cost comes from: a correction applies only when it comes from a later book.
        usage.AddColumn("book_version", "bigint").NotNull().DefaultValueByExpression("0");
        // A correction that overtook its charge made this row; the charge completes it (branch, PR, commit).
        usage.AddColumn("awaiting_charge", "boolean").NotNull().DefaultValueByExpression("false");
        foreach (
            var count in new[]
            {
                "input_tokens",
                "cache_read_tokens",
                "cache_write_tokens",
                "cache_write_1h_tokens",
                "output_tokens",
                "reasoning_tokens",
            }
        )
            usage.AddColumn(count, "bigint").NotNull();
        // A merged PR looks up the usage that could be its own (AttributionStore.ClaimableByAsync) by each of these:
        // its author's usage before the merge, and usage naming its number, branch or a commit. The last three are
        // partial: most usage names none of them.
        usage.Indexes.Add(
            new IndexDefinition($"ix_{UsageFacts}_author_time") { Columns = ["lower(user_id)", "occurred_at"] }
        );
        usage.Indexes.Add(
            new IndexDefinition($"ix_{UsageFacts}_pr_number")
            {
                Columns = ["repo", "pr_number"],
                Predicate = "pr_number is not null",
            }
        );
        usage.Indexes.Add(
            new IndexDefinition($"ix_{UsageFacts}_branch") { Columns = ["branch"], Predicate = "branch is not null" }
        );
        usage.Indexes.Add(
            new IndexDefinition($"ix_{UsageFacts}_short_sha")
            {
                Columns = [ShortSha("commit_sha")],
                Predicate = "commit_sha is not null",
            }
        );
        usage.Indexes.Add(new IndexDefinition($"ix_{UsageFacts}_session") { Columns = ["session_id"] });
        // Only attributed usage: most usage never names a PR, and a null key would still be an entry per usage event.
        usage.Indexes.Add(
            new IndexDefinition($"ix_{UsageFacts}_pr")
            {
                Columns = ["attributed_pr"],
                Predicate = "attributed_pr is not null",
            }
        );
        // What each session points at explicitly (the session rule's input), without reading the whole session.
        usage.Indexes.Add(
            new IndexDefinition($"ix_{UsageFacts}_session_explicit")
            {
                Columns = ["session_id", "attributed_pr"],
                Predicate = "rule = 'Explicit'",
            }
        );
        // Usage arrives in about the order it happened: a block range index finds a time range for a few pages a day.
        usage.Indexes.Add(
            new IndexDefinition($"ix_{UsageFacts}_occurred_at") { Columns = ["occurred_at"], Method = IndexMethod.brin }
        );
        yield return usage;
        yield return UsageDailyTable.Create(schema);
        yield return UsageDailyTable.CreateByPerson(schema);

        var prs = new Table($"{schema}.{Prs}");
        prs.AddColumn<string>("pr_key").AsPrimaryKey();
        prs.AddColumn("repo", "text").NotNull();
        prs.AddColumn("number", "integer").NotNull();
        prs.AddColumn("state", "text").NotNull();
        foreach (var text in new[] { "author", "team", "head_ref", "title" })
            prs.AddColumn(text, "text");
        prs.AddColumn("closed_at", "timestamptz").NotNull();
        prs.AddColumn("shas", "text[]").NotNull();
        prs.AddColumn("session_ids", "text[]").NotNull();
        prs.AddColumn("ai_assisted", "boolean").NotNull();
        // Lines added plus lines deleted, when the sender said: the value board shows PR sizes beside PR counts.
        prs.AddColumn("lines_changed", "integer");
        // Who recorded the facts: a signed GitHub delivery's ("github") are not overwritten by a canonical outcome.
        prs.AddColumn("recorded_by", "text").NotNull().DefaultValueByExpression("''");
        yield return prs;

        var failures = new Table($"{schema}.{Failures}");
        failures.AddColumn<string>("outcome_key").AsPrimaryKey();
        failures.AddColumn("kind", "text").NotNull();
        failures.AddColumn("repo", "text");
        failures.AddColumn("title", "text");
        failures.AddColumn("occurred_at", "timestamptz").NotNull();
        failures.AddColumn("pr_numbers", "integer[]").NotNull();
        failures.AddColumn("shas", "text[]").NotNull();
        yield return failures;

        var deployments = new Table($"{schema}.{Deployments}");
        deployments.AddColumn<string>("outcome_key").AsPrimaryKey();
        deployments.AddColumn("repo", "text").NotNull();
        deployments.AddColumn("team", "text");
        deployments.AddColumn("user_id", "text");
        deployments.AddColumn("sha", "text");
        deployments.AddColumn("environment", "text");
        deployments.AddColumn("occurred_at", "timestamptz").NotNull();
        yield return deployments;

        // Who manages whom, for addressing detections.
        yield return PeopleTable.Create(schema);
    }
}
