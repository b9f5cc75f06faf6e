using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Tokenwise.Client;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Testing;
using Xunit.Abstractions;

namespace Tokenwise.Integration.Tests.Pipeline;

/// <summary>
/// A property pass over every reader: valid bodies of every shape Ingestion takes, with one part replaced by something
/// hostile (a NUL, half a surrogate pair, 3,000 characters, a number past any range, the wrong type) or removed, or
/// random text. Whatever comes, Ingestion never answers 500, and nothing it accepts fails further down the pipeline.
/// </summary>
public sealed class FuzzTests(WholePipeline system, ITestOutputHelper output) : IClassFixture<WholePipeline>
{
    private const string Placeholder = "\u0001hostile\u0001";

    /// <summary>What replaces a part of a valid body, as JSON text (some of it no .NET value can hold).</summary>
    private static readonly string[] HostileValues =
    [
        "null",
        "true",
        "0",
        "-1",
        "1.5",
        "1e400",
        "-1e400",
        "9223372036854775807",
        "9223372036854775808",
        "5000000000000000000",
        "-5000000000000000000",
        "100000001",
        "\"\"",
        "\" \"",
        "\"\\u0000\"",
        "\"a\\u0000b\"",
        "\"\\ud800\"",
        "\"\\udc00x\"",
        "\"x\\u202Ey\"",
        "\"tab\\there\"",
        "\"line\\nbreak\"",
        "\"=HYPERLINK(1)\"",
        "\"" + new string('x', 3_000) + "\"",
        "\"" + string.Concat(Enumerable.Repeat("é", 300)) + "\"",
        "[]",
        "{}",
        "[1,2,3]",
        "{\"a\":{\"b\":[null]}}",
        "\"2026-13-45T99:99:99Z\"",
        "\"1970-01-01T00:00:00Z\"",
        "\"acme/api\"",
        "\"0000000\"",
        "\"" + new string('[', 70) + "\"",
        new string('[', 70) + new string(']', 70),
    ];

    private sealed record Shape(
        string Name,
        string Method,
        string Path,
        Func<string, string> Body,
        string? Signed = null
    );

    private static string Now => DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
    private static string Nanos =>
        (DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * 1_000_000).ToString();

    private static readonly Shape[] Shapes =
    [
        new(
            "canonical",
            "POST",
            "/v1/usage",
            id =>
                $$$"""
                    {"id":"{{{id}}}","occurredAt":"{{{Now}}}","user":"fuzz-{{{id[
                        ..4
                    ]}}}@example.com","team":"fuzz","provider":"openai","model":"gpt-4.1",
                     "inputTokens":1200,"cacheReadTokens":300,"outputTokens":340,"reasoningTokens":40,"reportedCostUsd":0.01,"tool":"gateway",
                     "sessionId":"s-{{{id[
                        ..6
                    ]}}}","repo":"acme/fuzz","branch":"feat/fuzz","prNumber":3,"commitSha":"abcdef1234","tags":{"env":"fuzz"}}
                    """
        ),
        new(
            "canonical batch",
            "POST",
            "/v1/usage",
            id =>
                $$$"""
                    [{"id":"{{{id}}}-1","occurredAt":"{{{Now}}}","user":"fuzz@example.com","model":"gpt-4.1","inputTokens":10},
                     {"id":"{{{id}}}-2","occurredAt":"{{{Now}}}","user":"fuzz@example.com","model":"claude-sonnet-4-5","outputTokens":20,"sessionId":"s"}]
                    """
        ),
        new(
            "openai",
            "POST",
            "/v1/usage/openai",
            id =>
                $$$"""
                    {"id":"{{{id}}}","occurredAt":"{{{Now}}}","user":"fuzz@example.com","model":"gpt-4.1","usage":{"prompt_tokens":1000,
                     "completion_tokens":200,"prompt_tokens_details":{"cached_tokens":100},"completion_tokens_details":{"reasoning_tokens":50} } }
                    """
        ),
        new(
            "anthropic",
            "POST",
            "/v1/usage/anthropic",
            id =>
                $$$"""
                    {"id":"{{{id}}}","occurredAt":"{{{Now}}}","user":"fuzz@example.com","model":"claude-sonnet-4-5","usage":{"input_tokens":100,
                     "output_tokens":50,"cache_read_input_tokens":1000,"cache_creation_input_tokens":300,
                     "cache_creation":{"ephemeral_5m_input_tokens":200,"ephemeral_1h_input_tokens":100} } }
                    """
        ),
        new(
            "otlp logs",
            "POST",
            "/otlp/v1/logs",
            id =>
                $$$"""
                    {"resourceLogs":[{"resource":{"attributes":[{"key":"team.id","value":{"stringValue":"fuzz"}}]},"scopeLogs":[{"logRecords":[
                     {"timeUnixNano":"{{{Nanos}}}","body":{"stringValue":"claude_code.api_request"},"attributes":[
                      {"key":"request_id","value":{"stringValue":"{{{id}}}"}},{"key":"model","value":{"stringValue":"claude-sonnet-4-5"}},
                      {"key":"user.email","value":{"stringValue":"fuzz@example.com"}},{"key":"session.id","value":{"stringValue":"s-{{{id[
                        ..6
                    ]}}}"}},
                      {"key":"input_tokens","value":{"intValue":"1200"}},{"key":"output_tokens","value":{"intValue":340}},
                      {"key":"cost_usd","value":{"doubleValue":0.02}}]}]}]}]}
                    """
        ),
        new(
            "otlp metrics",
            "POST",
            "/otlp/v1/metrics",
            id =>
                $$$"""
                    {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"claude_code.lines_of_code.count","sum":{"aggregationTemporality":1,
                     "dataPoints":[{"asInt":"12","startTimeUnixNano":"{{{id.Length}}}","timeUnixNano":"{{{Nanos}}}","attributes":[
                      {"key":"user.email","value":{"stringValue":"fuzz@example.com"}},{"key":"type","value":{"stringValue":"added"}},
                      {"key":"session.id","value":{"stringValue":"{{{id}}}"}}]}]}}]}]}]}
                    """
        ),
        new(
            "outcomes",
            "POST",
            "/v1/outcomes",
            id =>
                $$$"""
                    {"id":"{{{id}}}","occurredAt":"{{{Now}}}","kind":"pr_merged","repo":"acme/fuzz","prNumber":{{{Math.Abs(
                        id.GetHashCode() % 100_000
                    ) + 1}}},
                     "sha":"abcdef1234","user":"fuzz@example.com","title":"Fuzzed","linesAdded":3,"sessionIds":["s-1"],"links":{"prNumbers":[1],"shas":["abcdef1"]}}
                    """
        ),
        new(
            "github",
            "POST",
            "/v1/webhooks/github",
            id =>
                $$$"""
                    {"action":"closed","number":7,"pull_request":{"number":7,"merged":true,"merged_at":"{{{Now}}}","merge_commit_sha":"0123456789abcdef",
                     "title":"Fuzz","body":"Co-authored-by: Claude <noreply@anthropic.com>\nReverts acme/fuzz#6","user":{"login":"fuzz"},
                     "head":{"ref":"feat/fuzz","sha":"fedcba9876543210"},"labels":[{"name":"ai"}],"additions":3,"deletions":1},
                     "repository":{"full_name":"acme/fuzz"}}
                    """,
            Signed: "github"
        ),
        new(
            "pagerduty",
            "POST",
            "/v1/webhooks/pagerduty",
            id =>
                $$$"""
                    {"event":{"id":"{{{id}}}","event_type":"incident.triggered","occurred_at":"{{{Now}}}","data":{"id":"P{{{id[
                        ..4
                    ]}}}",
                     "title":"Down, root cause: abcdef1","urgency":"high","priority":{"summary":"P1"},"teams":[{"summary":"fuzz"}]} } }
                    """,
            Signed: "pagerduty"
        ),
        new(
            "directory",
            "PUT",
            "/v1/directory/users/fuzz-{id}",
            id =>
                """
                    {"displayName":"Fuzz","email":"fuzz@example.com","team":"fuzz","manager":"boss@example.com","aliases":["fz"]}
                    """
        ),
    ];

    /// <summary>A body of a shape with one part changed: replaced, removed, joined by an unknown field, or the whole of it.</summary>
    private static string Mutate(string body, int kind, int at, string hostile)
    {
        var root = JsonNode.Parse(body)!;
        var nodes = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            if (node is null)
                return;
            nodes.Add(node);
            if (node is JsonObject o)
                foreach (var (_, child) in o)
                    Walk(child);
            if (node is JsonArray a)
                foreach (var child in a)
                    Walk(child);
        }
        Walk(root);
        var target = nodes[at % nodes.Count];
        switch (kind)
        {
            case 0 when target.Parent is JsonObject parent:
                parent[target.GetPropertyName()] = Placeholder;
                break;
            case 0 when target.Parent is JsonArray parent:
                parent[target.GetElementIndex()] = Placeholder;
                break;
            case 1 when target.Parent is JsonObject parent:
                parent.Remove(target.GetPropertyName());
                break;
            case 1 when target.Parent is JsonArray parent:
                parent.RemoveAt(target.GetElementIndex());
                break;
            case 2 when target is JsonObject o:
                o["unexpected"] = Placeholder;
                break;
            case 3:
                return hostile;
            case 4:
                return body;
        }
        return root.ToJsonString().Replace(JsonSerializer.Serialize(Placeholder), hostile);
    }

    private async Task<(long Ingested, decimal Charged, decimal Observed, decimal Watched)> CountsAsync()
    {
        await using var session = system.Ingestion.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var ingested = (await session.OfTypeAsync<UsageRecordedBatch>()).Sum(b => (long)b.Items.Count);
        return (
            ingested,
            await system.ScalarAsync("accounting", "select count(*) from {schema}.charges"),
            await system.ScalarAsync("outcomes", "select count(*) from {schema}.usage_facts"),
            await system.ScalarAsync(
                "alerting",
                "select coalesce(sum(requests), 0) from {schema}.spend_minutes where scope_type = 'user'"
            )
        );
    }

    [Fact]
    public async Task Random_and_mutated_bodies_of_every_shape_never_get_a_500_and_nothing_accepted_fails_downstream()
    {
        var answers = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var gen = Gen.Select(
            Gen.Int[0, Shapes.Length - 1],
            Gen.Int[0, 4],
            Gen.Int[0, 1_000],
            Gen.Int[0, HostileValues.Length],
            Gen.String[0, 60]
        );
        await gen.SampleAsync(
            async (shapeIndex, kind, at, valueIndex, random) =>
            {
                var shape = Shapes[shapeIndex];
                var hostile =
                    valueIndex < HostileValues.Length ? HostileValues[valueIndex] : JsonSerializer.Serialize(random);
                var id = Guid.NewGuid().ToString("N");
                var body = Mutate(shape.Body(id), kind, at, hostile);
                using var http = system.Ingestion.Http();
                var path = shape.Path.Replace("{id}", kind == 3 ? Uri.EscapeDataString(random) + id : id);
                using var request = new HttpRequestMessage(new HttpMethod(shape.Method), path)
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                var bytes = Encoding.UTF8.GetBytes(body);
                if (shape.Signed == "github")
                {
                    request.Headers.Add(
                        "X-Hub-Signature-256",
                        WebhookSigning.GitHub(bytes, WholePipeline.GitHubSecret)
                    );
                    request.Headers.Add("X-GitHub-Event", "pull_request");
                    request.Headers.Add("X-GitHub-Delivery", id);
                }
                else if (shape.Signed == "pagerduty")
                    request.Headers.Add(
                        "X-PagerDuty-Signature",
                        WebhookSigning.PagerDuty(bytes, WholePipeline.PagerDutySecret)
                    );
                else
                    request.Headers.Authorization = new AuthenticationHeaderValue(
                        "Bearer",
                        IsolatedEnvironment.BootstrapKey
                    );

                using var response = await http.SendAsync(request);
                answers.AddOrUpdate($"{shape.Name} {(int)response.StatusCode}", 1, (_, n) => n + 1);
                Assert.True(
                    (int)response.StatusCode < 500,
                    $"{shape.Name}: {(int)response.StatusCode} for {body[..Math.Min(body.Length, 400)]}"
                );
                if ((int)response.StatusCode >= 400)
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            },
            iter: 1_500,
            threads: 4,
            print: t => $"{Shapes[t.Item1].Name}, mutation {t.Item2} at {t.Item3}, value {t.Item4}, '{t.Item5}'"
        );
        foreach (var (answer, count) in answers.OrderBy(a => a.Key))
            output.WriteLine($"{answer}: {count}");
        Assert.Contains(answers.Keys, a => a.EndsWith(" 202")); // the valid ones went through
        Assert.Contains(answers.Keys, a => a.EndsWith(" 400"));

        // Everything accepted has gone all the way: each usage Ingestion stored is charged, observed and watched, once.
        await Eventually.Until(
            CountsAsync,
            c => c.Ingested > 0 && c.Ingested == c.Charged && c.Charged == c.Observed && c.Observed == c.Watched,
            "every accepted usage to be charged by Accounting, observed by Outcomes and watched by Alerting",
            TimeSpan.FromMinutes(3)
        );

        foreach (var service in new[] { system.Ingestion, system.Accounting, system.Outcomes, system.Alerting })
        {
            Assert.Empty(await WholePipeline.QuarantineAsync(service));
            using var ops = WholePipeline.Ops(service);
            Assert.Equal("[]", await ops.GetStringAsync("/v1/ops/failed-messages"));
        }
    }
}
