using System.Globalization;
using System.Net;
using System.Text.Json;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;

namespace Tokenwise.Simulator;

/// <summary>
/// Sends a simulated company to Ingestion through the SDK (its retry policy, same ids on every try): the directory,
/// the last half hour's usage, the rest of the usage in each provider's shape in batches, some batches twice (a client retrying after a lost answer), a tenth of
/// the usage late (after the merges it belongs to), then the outcomes between; with a GitHub secret, every other
/// merge arrives as a signed GitHub webhook; with a PagerDuty secret, incidents arrive as signed PagerDuty webhooks.
/// At a chosen rate (events/s) or, by default, as fast as Ingestion answers.
/// </summary>
public sealed class Sender(
    IIngestionApi ingestion,
    int seed,
    string? gitHubSecret = null,
    string? pagerDutySecret = null,
    int eventsPerSecond = 0,
    int batchSize = 100
)
{
    private readonly Random _random = new(seed + 1);
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private long _sent;

    public int Duplicates { get; private set; }

    public async Task SendAsync(Company company, CancellationToken ct = default)
    {
        foreach (var person in company.People)
            Ensure(
                await ingestion.SetDirectoryUserAsync(
                    person.User,
                    new DirectoryUserRequest(null, person.User, person.Team, person.Manager, [GitHubLogin(person)]),
                    ct
                ),
                HttpStatusCode.OK,
                "directory"
            );

        // The last half hour (the runaway loop, the ping-pong) goes first and on time: the watch rules judge recent
        // minutes against the clock, and a long send would otherwise deliver them after they stopped being recent.
        var recent = company.Requests.Where(r => r.At >= company.Now.AddMinutes(-30)).ToHashSet();
        await SendUsageAsync(recent.OrderBy(r => r.At), ct);
        var late = company.Requests.Where(r => !recent.Contains(r) && _random.NextDouble() < 0.1).ToHashSet();
        await SendUsageAsync(
            company.Requests.Where(r => !late.Contains(r) && !recent.Contains(r)).OrderBy(r => r.At),
            ct
        );
        var byGitHub = company
            .Outcomes.Where(o => gitHubSecret is not null && o.Kind == "pr_merged" && o.PrNumber % 2 == 0)
            .ToList();
        var byPagerDuty = company
            .Outcomes.Where(o => pagerDutySecret is not null && o.Kind == "incident_opened")
            .ToList();
        foreach (var batch in company.Outcomes.Except(byGitHub).Except(byPagerDuty).Chunk(50))
            Ensure(await ingestion.RecordOutcomesAsync(batch, ct), HttpStatusCode.Accepted, "outcomes");
        foreach (var merge in byGitHub)
            await GitHubMergeAsync(merge, company.People.Single(p => p.User == merge.User), ct);
        foreach (var incident in byPagerDuty)
            await PagerDutyIncidentAsync(incident, ct);
        await SendUsageAsync(late.OrderBy(r => r.At), ct);
    }

    private async Task SendUsageAsync(IEnumerable<SimRequest> requests, CancellationToken ct)
    {
        foreach (var batch in requests.Chunk(batchSize))
        foreach (var shape in batch.GroupBy(r => r.Shape))
        {
            var times = _random.NextDouble() < 0.05 ? 2 : 1;
            Duplicates += (times - 1) * shape.Count();
            for (var t = 0; t < times; t++)
                await SendAsync(shape.Key, shape.ToList(), ct);
        }
    }

    private async Task SendAsync(Shape shape, IReadOnlyList<SimRequest> requests, CancellationToken ct)
    {
        if (eventsPerSecond > 0)
        {
            var due = TimeSpan.FromSeconds((double)_sent / eventsPerSecond);
            if (due > _clock.Elapsed)
                await Task.Delay(due - _clock.Elapsed, ct);
        }
        _sent += requests.Count;
        Refit.IApiResponse response = shape switch
        {
            Shape.OpenAi => await ingestion.RecordOpenAiUsageAsync(
                requests
                    .Select(r =>
                        Native(
                            r,
                            new
                            {
                                prompt_tokens = r.Tokens.Input + r.Tokens.CacheRead,
                                completion_tokens = r.Tokens.Output,
                                total_tokens = r.Tokens.Input + r.Tokens.CacheRead + r.Tokens.Output,
                                prompt_tokens_details = new { cached_tokens = r.Tokens.CacheRead },
                                completion_tokens_details = new { reasoning_tokens = r.Tokens.Reasoning },
                            }
                        )
                    )
                    .ToList(),
                ct
            ),
            Shape.Anthropic => await ingestion.RecordAnthropicUsageAsync(
                requests
                    .Select(r =>
                        Native(
                            r,
                            new
                            {
                                input_tokens = r.Tokens.Input,
                                output_tokens = r.Tokens.Output,
                                cache_read_input_tokens = r.Tokens.CacheRead,
                                cache_creation_input_tokens = r.Tokens.CacheWrite + r.Tokens.CacheWrite1h,
                                cache_creation = new
                                {
                                    ephemeral_5m_input_tokens = r.Tokens.CacheWrite,
                                    ephemeral_1h_input_tokens = r.Tokens.CacheWrite1h,
                                },
                            }
                        )
                    )
                    .ToList(),
                ct
            ),
            Shape.ClaudeCodeOtlp => await ingestion.ExportLogsAsync(ClaudeCodeLogs(requests), ct),
            _ => await ingestion.RecordUsageBatchAsync(requests.Select(Canonical).ToList(), ct),
        };
        Ensure(response, shape == Shape.ClaudeCodeOtlp ? HttpStatusCode.OK : HttpStatusCode.Accepted, "usage");
        // Claude Code also exports metrics: its token and cost counters repeat the log events (they must not count
        // twice); lines of code are an activity signal.
        if (shape == Shape.ClaudeCodeOtlp)
            Ensure(await ingestion.ExportMetricsAsync(ClaudeCodeMetrics(requests), ct), HttpStatusCode.OK, "metrics");
    }

    public static string GitHubLogin(Person person) => person.User.Split('@')[0];

    /// <summary>Claude Code's OTLP/HTTP JSON logs: one api_request record per request, counts as strings as the SDK sends them.</summary>
    private static JsonElement ClaudeCodeLogs(IReadOnlyList<SimRequest> requests)
    {
        object Attribute(string key, string value) => new { key, value = new { stringValue = value } };
        object Number(string key, long value) =>
            new { key, value = new { intValue = value.ToString(CultureInfo.InvariantCulture) } };
        var records = requests.Select(r => new
        {
            timeUnixNano = (r.At.ToUnixTimeMilliseconds() * 1_000_000).ToString(CultureInfo.InvariantCulture),
            body = new { stringValue = "claude_code.api_request" },
            attributes = new[]
            {
                Attribute("event.name", "api_request"),
                Attribute("event.timestamp", r.At.ToString("O")),
                Attribute("model", r.Model),
                Number("input_tokens", r.Tokens.Input),
                Number("output_tokens", r.Tokens.Output),
                Number("cache_read_tokens", r.Tokens.CacheRead),
                Number("cache_creation_tokens", r.Tokens.CacheWrite),
                Attribute("request_id", r.Id),
                Attribute("user.email", r.Person.User),
                Attribute("team.id", r.Person.Team),
                Attribute("session.id", r.Session ?? "none"),
            },
        });
        return JsonSerializer.SerializeToElement(
            new
            {
                resourceLogs = new[]
                {
                    new
                    {
                        resource = new { attributes = new[] { Attribute("service.name", "claude-code") } },
                        scopeLogs = new[]
                        {
                            new { scope = new { name = "com.anthropic.claude_code" }, logRecords = records },
                        },
                    },
                },
            }
        );
    }

    /// <summary>Claude Code's OTLP/HTTP JSON metrics for the same requests: delta sums, one data point per request and type.</summary>
    private static JsonElement ClaudeCodeMetrics(IReadOnlyList<SimRequest> requests)
    {
        object Attribute(string key, string value) => new { key, value = new { stringValue = value } };
        string Nanos(DateTimeOffset at) =>
            (at.ToUnixTimeMilliseconds() * 1_000_000).ToString(CultureInfo.InvariantCulture);
        object[] Attributes(SimRequest r, params object[] more) =>
            [
                Attribute("user.email", r.Person.User),
                Attribute("session.id", r.Session ?? "none"),
                Attribute("model", r.Model),
                .. more,
            ];
        object Sum(string name, string unit, IEnumerable<object> points) =>
            new
            {
                name,
                unit,
                sum = new
                {
                    aggregationTemporality = 1,
                    isMonotonic = true,
                    dataPoints = points.ToArray(),
                },
            };
        object Point(SimRequest r, object value, params object[] more) =>
            value is double d
                ? new
                {
                    startTimeUnixNano = Nanos(r.At.AddSeconds(-1)),
                    timeUnixNano = Nanos(r.At),
                    asDouble = d,
                    attributes = Attributes(r, more),
                }
                : new
                {
                    startTimeUnixNano = Nanos(r.At.AddSeconds(-1)),
                    timeUnixNano = Nanos(r.At),
                    asInt = value.ToString(),
                    attributes = Attributes(r, more),
                };
        var tokens = requests.SelectMany(r =>
            new[]
            {
                Point(r, r.Tokens.Input, Attribute("type", "input")),
                Point(r, r.Tokens.Output, Attribute("type", "output")),
                Point(r, r.Tokens.CacheRead, Attribute("type", "cacheRead")),
                Point(r, r.Tokens.CacheWrite, Attribute("type", "cacheCreation")),
            }
        );
        // What Claude Code itself would charge; Tokenwise prices from its own book, so only its presence matters here.
        var costs = requests.Select(r => Point(r, (r.Tokens.Input * 3 + r.Tokens.Output * 15) / 1_000_000.0));
        var lines = requests.Select(r => Point(r, (long)(r.Tokens.Output / 40), Attribute("type", "added")));
        return JsonSerializer.SerializeToElement(
            new
            {
                resourceMetrics = new[]
                {
                    new
                    {
                        resource = new
                        {
                            attributes = new[]
                            {
                                Attribute("service.name", "claude-code"),
                                Attribute("team.id", requests[0].Person.Team),
                            },
                        },
                        scopeMetrics = new[]
                        {
                            new
                            {
                                scope = new { name = "com.anthropic.claude_code" },
                                metrics = new[]
                                {
                                    Sum("claude_code.token.usage", "tokens", tokens),
                                    Sum("claude_code.cost.usage", "USD", costs),
                                    Sum("claude_code.lines_of_code.count", "count", lines),
                                },
                            },
                        },
                    },
                },
            }
        );
    }

    /// <summary>An incident as PagerDuty's V3 webhooks deliver it (no repo: the root cause in the title links it), signed.</summary>
    private async Task PagerDutyIncidentAsync(OutcomeEvent incident, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                @event = new
                {
                    id = incident.Id,
                    event_type = "incident.triggered",
                    occurred_at = incident.OccurredAt,
                    data = new
                    {
                        id = incident.ExternalId,
                        title = incident.Title,
                        urgency = "high",
                        teams = new[] { new { summary = incident.Team } },
                    },
                },
            }
        );
        var response = await ingestion.PagerDutyWebhookAsync(
            new ByteArrayContent(body),
            WebhookSigning.PagerDuty(body, pagerDutySecret!),
            ct
        );
        Ensure(response, HttpStatusCode.Accepted, "PagerDuty webhook");
    }

    /// <summary>A merge as GitHub delivers it: pull_request closed and merged, signed with the webhook secret.</summary>
    private async Task GitHubMergeAsync(OutcomeEvent merge, Person author, CancellationToken ct)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new
            {
                action = "closed",
                number = merge.PrNumber,
                pull_request = new
                {
                    number = merge.PrNumber,
                    merged = true,
                    merged_at = merge.OccurredAt,
                    merge_commit_sha = merge.Sha,
                    title = merge.Title,
                    additions = merge.LinesAdded,
                    deletions = merge.LinesDeleted,
                    head = new { @ref = merge.Branch, sha = merge.Sha },
                    user = new { login = GitHubLogin(author) },
                    labels = merge.AiAssisted == true ? new[] { new { name = "ai-assisted" } } : [],
                    body = "Simulated change.",
                },
                repository = new { full_name = merge.Repo },
            }
        );
        var response = await ingestion.GitHubWebhookAsync(
            new ByteArrayContent(body),
            "pull_request",
            merge.Id,
            WebhookSigning.GitHub(body, gitHubSecret!),
            ct
        );
        Ensure(response, HttpStatusCode.Accepted, "GitHub webhook");
    }

    private static UsageEvent Canonical(SimRequest r) =>
        new()
        {
            Id = r.Id,
            OccurredAt = r.At,
            User = r.Person.User,
            Team = r.Person.Team,
            Provider = r.Provider,
            Model = r.Model,
            InputTokens = r.Tokens.Input,
            CacheReadTokens = r.Tokens.CacheRead,
            CacheWriteTokens = r.Tokens.CacheWrite,
            CacheWrite1hTokens = r.Tokens.CacheWrite1h,
            OutputTokens = r.Tokens.Output,
            ReasoningTokens = r.Tokens.Reasoning,
            Tool = "gateway",
            SessionId = r.Session,
            AgentName = r.Agent,
            Repo = r.Repo,
            PrNumber = r.Pr,
        };

    private static NativeUsageEvent Native(SimRequest r, object usage) =>
        new()
        {
            Id = r.Id,
            OccurredAt = r.At,
            User = r.Person.User,
            Team = r.Person.Team,
            Model = r.Model,
            Usage = usage,
            Tool = "gateway",
            SessionId = r.Session,
            Repo = r.Repo,
            PrNumber = r.Pr,
        };

    private static void Ensure(Refit.IApiResponse response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
            throw new InvalidOperationException(
                $"{what} answered {(int?)response.StatusCode}: {(response.Error as Refit.ApiException)?.Content}"
            );
    }
}
