using Tokenwise.ServiceDefaults.Persistence;
using Weasel.Postgresql.Tables;

namespace Tokenwise.Alerting.Watching;

/// <summary>
/// What the watch rules read: spend per subject and minute, session activity, prompts, requests per lane, managers; and
/// the charged batches already watched.
/// </summary>
public static class WatchTables
{
    public const string SpendMinutes = "spend_minutes";
    public const string SessionMinutes = "session_minutes";
    public const string LaneRequests = "lane_requests";
    public const string Prompts = "session_prompts";
    public const string PromptingTools = "prompting_tools";
    public const string People = PeopleTable.Name;
    public const string WatchedBatches = "watched_batches";
    public const string UnpricedModels = "unpriced_models";

    public static IEnumerable<Table> Create(string schema)
    {
        var spend = new Table($"{schema}.{SpendMinutes}");
        spend.AddColumn<string>("scope_type").AsPrimaryKey();
        spend.AddColumn<string>("scope_id").AsPrimaryKey();
        spend.AddColumn("minute", "timestamptz").AsPrimaryKey();
        spend.AddColumn("cost", "numeric").NotNull();
        // Requests per user and minute find the users busy enough for the ping-pong rule without reading their requests.
        spend.AddColumn("requests", "integer").NotNull().DefaultValueByExpression("0");
        spend.Indexes.Add(new IndexDefinition($"ix_{SpendMinutes}_minute") { Columns = ["minute"] });
        // Every watched batch adds to the current minute's rows: room on their page keeps those updates in place (HOT).
        spend.StorageParameters[StorageParameterNames.FillFactor] = 50;
        yield return spend;

        var sessions = new Table($"{schema}.{SessionMinutes}");
        sessions.AddColumn<string>("session_id").AsPrimaryKey();
        sessions.AddColumn("minute", "timestamptz").AsPrimaryKey();
        sessions.AddColumn("user_id", "text").NotNull();
        sessions.AddColumn("tool", "text");
        sessions.AddColumn("requests", "integer").NotNull();
        sessions.AddColumn("cost", "numeric").NotNull();
        sessions.Indexes.Add(new IndexDefinition($"ix_{SessionMinutes}_minute") { Columns = ["minute"] });
        sessions.StorageParameters[StorageParameterNames.FillFactor] = 50;
        yield return sessions;

        // No primary key: the watched-batch claim already takes each usage in once, and a key would be one more index
        // entry (and a conflict check) for every request.
        var lanes = new Table($"{schema}.{LaneRequests}");
        lanes.AddColumn<string>("usage_key").NotNull();
        lanes.AddColumn("user_id", "text").NotNull();
        lanes.AddColumn("at", "timestamptz").NotNull();
        lanes.AddColumn("lane", "text").NotNull();
        lanes.AddColumn("tokens", "bigint").NotNull();
        lanes.Indexes.Add(new IndexDefinition($"ix_{LaneRequests}_user_at") { Columns = ["user_id", "at"] });
        yield return lanes;

        var prompts = new Table($"{schema}.{Prompts}");
        prompts.AddColumn<string>("session_id").AsPrimaryKey();
        prompts.AddColumn("last_prompt_at", "timestamptz").NotNull();
        yield return prompts;

        var tools = new Table($"{schema}.{PromptingTools}");
        tools.AddColumn<string>("tool").AsPrimaryKey();
        yield return tools;

        // One row per charged batch taken in: the claim that makes a redelivered batch count once (a charged batch is
        // relayed as one message, never merged, so its id names the same items every time), and how many it held; -1
        // when it was isolated, its usages then claimed one by one (UsageChargedBatchConsumer).
        var batches = new Table($"{schema}.{WatchedBatches}");
        batches.AddColumn<string>("batch_id").AsPrimaryKey();
        batches.AddColumn("items", "integer").NotNull();
        batches.AddColumn("watched_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        yield return batches;

        // Models Accounting found without a price, for the one unpriced alert that lists them.
        var unpriced = new Table($"{schema}.{UnpricedModels}");
        unpriced.AddColumn<string>("model").AsPrimaryKey();
        unpriced.AddColumn("first_seen_at", "timestamptz").NotNull();
        unpriced.Indexes.Add(new IndexDefinition($"ix_{UnpricedModels}_first_seen") { Columns = ["first_seen_at"] });
        yield return unpriced;

        yield return PeopleTable.Create(schema);
    }
}
