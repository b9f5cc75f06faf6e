using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Tokenwise.Accounting;
using Tokenwise.Alerting;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Ingestion;
using Tokenwise.Outcomes;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Security;

/// <summary>
/// The four services logging at Debug through a day's traffic, failures included: no API key, webhook secret, control
/// secret or prompt ever reaches a log line, and no prompt reaches the database.
/// </summary>
public sealed class LogsKeepSecretsTests : IAsyncLifetime
{
    private const string GitHubSecret = "logs-github-secret-5f1c",
        PagerDutySecret = "logs-pagerduty-secret-9a2e";
    private const string Prompt = "PROMPT-TEXT-7d41 please refactor the payroll module";
    private IsolatedEnvironment _environment = null!;
    private readonly List<RunningService> _services = [];

    public async Task InitializeAsync()
    {
        _environment = await IsolatedEnvironment.CreateAsync("logs");
        var debug = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["TOKENWISE_GITHUB_SECRET"] = GitHubSecret,
            ["TOKENWISE_PAGERDUTY_SECRET"] = PagerDutySecret,
        };
        foreach (
            var build in new RunningService.HostFactory[]
            {
                AccountingHost.Build,
                OutcomesHost.Build,
                AlertingHost.Build,
                IngestionHost.Build,
            }
        )
            _services.Add(await RunningService.StartAsync(build, _environment, debug));
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
            await service.DisposeAsync();
        await _environment.DisposeAsync();
    }

    private RunningService Ingestion => _services[^1];

    [Fact]
    public async Task No_key_secret_or_prompt_reaches_a_log_line_at_debug()
    {
        var issued = (
            await Ingestion
                .Client<IIngestionApi>()
                .IssueKeyAsync(new KeyRequest("laptop", ["ingest"]) { User = "alice" })
        ).Content!;
        var api = Ingestion.Client<IIngestionApi>(issued.Key);
        Assert.Equal(
            HttpStatusCode.Accepted,
            (
                await api.RecordUsageAsync(
                    new UsageEvent
                    {
                        Id = "u1",
                        OccurredAt = DateTimeOffset.UtcNow,
                        User = "alice",
                        Model = "gpt-4.1",
                        InputTokens = 100,
                    }
                )
            ).StatusCode
        );
        using (var http = Ingestion.Http())
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Key);
            var nanos = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000).ToString();
            var body =
                "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\""
                + nanos
                + "\",\"body\":{\"stringValue\":\"claude_code.user_prompt\"},"
                + "\"attributes\":[{\"key\":\"session.id\",\"value\":{\"stringValue\":\"s1\"}},{\"key\":\"prompt_length\",\"value\":{\"intValue\":\"52\"}},"
                + "{\"key\":\"prompt\",\"value\":{\"stringValue\":\""
                + Prompt
                + "\"}}]}]}]}]}";
            Assert.Equal(
                HttpStatusCode.OK,
                (
                    await http.PostAsync("/otlp/v1/logs", new StringContent(body, Encoding.UTF8, "application/json"))
                ).StatusCode
            );
            // Refusals log too: a wrong key, a revoked key, a bad signature.
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Bearer",
                issued.Key[..^4] + "XXXX"
            );
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/keys")).StatusCode);
        }
        var payload = Encoding.UTF8.GetBytes(
            $$$"""
            {"action":"closed","number":1,"pull_request":{"number":1,"merged":true,"merged_at":"{{{DateTimeOffset.UtcNow.AddMinutes(
                -5
            ):O}}}",
             "merge_commit_sha":"0123456789abcdef","title":"Payroll","user":{"login":"alice"},"head":{"ref":"feat/x","sha":"fedcba9876543210"},
             "labels":[]},"repository":{"full_name":"acme/payroll"}}
            """
        );
        var signed = await Ingestion
            .Client<IIngestionApi>()
            .GitHubWebhookAsync(
                JsonBodies.Of(payload),
                "pull_request",
                Guid.NewGuid().ToString(),
                WebhookSigning.GitHub(payload, GitHubSecret)
            );
        Assert.Equal(HttpStatusCode.Accepted, signed.StatusCode);
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (
                await Ingestion
                    .Client<IIngestionApi>()
                    .PagerDutyWebhookAsync(
                        JsonBodies.Of(payload),
                        WebhookSigning.PagerDuty(payload, "not-" + PagerDutySecret)
                    )
            ).StatusCode
        );
        await Ingestion.Client<IIngestionApi>().RevokeKeyAsync(issued.Id);
        await Eventually.Until(
            async () =>
                (
                    await api.RecordUsageAsync(
                        new UsageEvent
                        {
                            Id = "u2",
                            OccurredAt = DateTimeOffset.UtcNow,
                            User = "alice",
                            Model = "gpt-4.1",
                            InputTokens = 100,
                        }
                    )
                ).StatusCode,
            s => s == HttpStatusCode.Unauthorized,
            "the revoked key to be refused"
        );
        var spend = _services[0].Client<IAccountingApi>();
        var day = DateTime.UtcNow.ToString("yyyy-MM-dd");
        await Eventually.Until(
            async () => (await spend.GetSpendAsync("user", day, day)).Content!.Totals.Requests,
            n => n >= 1,
            "the usage to be charged"
        );

        var secrets = new[]
        {
            issued.Key,
            IsolatedEnvironment.BootstrapKey,
            IsolatedEnvironment.ControlSecret,
            GitHubSecret,
            PagerDutySecret,
            Prompt,
            // Part of the prompt, in case a log or an event holds it cut short; words that no id or hash can contain.
            "payroll module",
            new NpgsqlConnectionStringBuilder(_environment.Servers.Postgres).Password!,
            _environment.Servers.RabbitMq.UserInfo.Split(':')[1],
        };
        var lines = _services.SelectMany(s => s.Logs.Lines).ToList();
        Assert.True(lines.Count > 50, $"only {lines.Count} lines were logged: is Debug on?");
        foreach (var secret in secrets)
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));

        await using var connection = new NpgsqlConnection(_environment.Servers.Postgres);
        await connection.OpenAsync();
        await using var stored = new NpgsqlCommand(
            $"select count(*) from {_environment.Schema("ingestion")}.mt_events where data::text like '%payroll module%'",
            connection
        );
        Assert.Equal(0L, await stored.ExecuteScalarAsync());
    }
}
