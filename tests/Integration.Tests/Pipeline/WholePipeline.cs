using System.Net.Http.Headers;
using System.Net.Http.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tokenwise.Accounting;
using Tokenwise.Alerting;
using Tokenwise.Alerting.Watching;
using Tokenwise.Alerting.Watching.Evaluating;
using Tokenwise.Client.Apis;
using Tokenwise.Ingestion;
using Tokenwise.Outcomes;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Pipeline;

/// <summary>An item as GET /v1/ops/quarantine shows it.</summary>
public sealed record QuarantinedView(
    string Id,
    string Service,
    string Queue,
    string MessageType,
    string ItemKey,
    string Reason,
    string Status,
    int Replays
);

public sealed record QuarantinePageView(IReadOnlyList<QuarantinedView> Items, string? Next);

/// <summary>The four services in-process on real servers, in one environment: what one usage touches, end to end.</summary>
public sealed class WholePipeline : IAsyncLifetime
{
    public const string GitHubSecret = "pipeline-github-secret";
    public const string PagerDutySecret = "pipeline-pagerduty-secret";

    public IsolatedEnvironment Environment { get; private set; } = null!;
    public RunningService Ingestion { get; private set; } = null!;
    public RunningService Accounting { get; private set; } = null!;
    public RunningService Outcomes { get; private set; } = null!;
    public RunningService Alerting { get; private set; } = null!;
    public IIngestionApi Ingest => Ingestion.Client<IIngestionApi>();
    public IAccountingApi Spend => Accounting.Client<IAccountingApi>();
    public IOutcomesApi Prs => Outcomes.Client<IOutcomesApi>();
    public IAlertingApi Alerts => Alerting.Client<IAlertingApi>();
    public Evaluator Evaluator => Alerting.Services.GetRequiredService<Evaluator>();

    public async Task InitializeAsync()
    {
        Environment = await IsolatedEnvironment.CreateAsync("pipeline");
        var quick = new Dictionary<string, string?> { ["Tokenwise:Pipeline:CheckEverySeconds"] = "1" };
        // Evaluations are driven by the tests, so they run at known moments.
        Alerting = await RunningService.StartAsync(
            AlertingHost.Build,
            Environment,
            new Dictionary<string, string?>(quick) { ["Tokenwise:Alerting:EvaluateEverySeconds"] = "3600" }
        );
        Outcomes = await RunningService.StartAsync(OutcomesHost.Build, Environment, quick);
        Accounting = await RunningService.StartAsync(AccountingHost.Build, Environment, quick);
        Ingestion = await RunningService.StartAsync(
            IngestionHost.Build,
            Environment,
            new Dictionary<string, string?>(quick)
            {
                ["TOKENWISE_GITHUB_SECRET"] = GitHubSecret,
                ["TOKENWISE_PAGERDUTY_SECRET"] = PagerDutySecret,
                // The tests' webhooks all come from this machine.
                ["Tokenwise:RateLimit:AnonymousPerSecond"] = "100000",
                // The key list goes out every 2 s rather than 30, so a test of a lost revocation is quick.
                ["Tokenwise:Keys:SnapshotEverySeconds"] = "2",
            }
        );
    }

    public async Task DisposeAsync()
    {
        await Ingestion.DisposeAsync();
        await Accounting.DisposeAsync();
        await Outcomes.DisposeAsync();
        await Alerting.DisposeAsync();
        await Environment.DisposeAsync();
    }

    /// <summary>An admin's HTTP client for a service's operational endpoints.</summary>
    public static HttpClient Ops(RunningService service)
    {
        var http = service.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer",
            IsolatedEnvironment.BootstrapKey
        );
        return http;
    }

    public static async Task<IReadOnlyList<QuarantinedView>> QuarantineAsync(RunningService service)
    {
        using var http = Ops(service);
        return await AllQuarantinedAsync(http);
    }

    /// <summary>Every page of a service's quarantine, following the cursor.</summary>
    public static async Task<IReadOnlyList<QuarantinedView>> AllQuarantinedAsync(HttpClient ops)
    {
        var items = new List<QuarantinedView>();
        string? next = null;
        do
        {
            var page = (
                await ops.GetFromJsonAsync<QuarantinePageView>(
                    "/v1/ops/quarantine?limit=500" + (next is null ? "" : "&after=" + Uri.EscapeDataString(next))
                )
            )!;
            items.AddRange(page.Items);
            next = page.Next;
        } while (next is not null);
        return items;
    }

    /// <summary>Appends events to a service's store directly, as an earlier release (or a bug) might have written them.</summary>
    public static async Task AppendAsync(RunningService service, params (string Stream, object Event)[] events)
    {
        await using var session = service.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        foreach (var (stream, @event) in events)
            session.Events.Append(stream, @event);
        await session.SaveChangesAsync();
    }

    /// <summary>One number from a service's own tables: "select … from {schema}.…" with {schema} filled in.</summary>
    public async Task<decimal> ScalarAsync(string service, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Environment.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Environment.Schema(service)), connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var found = await command.ExecuteScalarAsync();
        return found is null or DBNull ? 0m : Convert.ToDecimal(found);
    }

    public async Task ExecuteAsync(string service, string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.Servers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Environment.Schema(service)), connection);
        await command.ExecuteNonQueryAsync();
    }
}
