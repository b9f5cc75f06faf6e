using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.AgentTelemetry;
using Tokenwise.Ingestion.Validation;

namespace Tokenwise.Ingestion.Tests.AgentTelemetry;

public sealed class OtlpLogsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private const string At = "1763639400000000000"; // 2025-11-20T11:50:00Z

    private static string Attr(string key, string valueJson) => "{\"key\":\"" + key + "\",\"value\":" + valueJson + "}";

    private static string S(string key, string value) => Attr(key, "{\"stringValue\":\"" + value + "\"}");

    private static string Logs(string resourceAttributes, params string[] records) =>
        "{\"resourceLogs\":[{\"resource\":{\"attributes\":["
        + resourceAttributes
        + "]},"
        + "\"scopeLogs\":[{\"scope\":{\"name\":\"com.anthropic.claude_code.events\"},\"logRecords\":["
        + string.Join(",", records)
        + "]}]}]}";

    private static string Record(string? body, params string[] attributes) =>
        "{\"timeUnixNano\":\""
        + At
        + "\","
        + (body is null ? "" : "\"body\":{\"stringValue\":\"" + body + "\"},")
        + "\"attributes\":["
        + string.Join(",", attributes)
        + "]}";

    private static OtlpBatch Read(string json, DateTimeOffset? now = null)
    {
        using var document = JsonDocument.Parse(json);
        return OtlpLogsReader.Read(
            document.RootElement,
            new IntakeContext(
                "agents",
                now ?? new DateTimeOffset(2025, 11, 20, 12, 0, 0, TimeSpan.Zero),
                IntakeLimits.Default
            )
        );
    }

    [Fact]
    public void A_Claude_Code_api_request_becomes_a_usage_event_keyed_by_its_request_id()
    {
        var batch = Read(
            Logs(
                S("service.name", "claude-code") + "," + S("team.id", "payments"),
                Record(
                    "claude_code.api_request",
                    S("event.name", "api_request"),
                    S("model", "claude-sonnet-4-5-20250929"),
                    Attr("input_tokens", """{"intValue":"1200"}"""),
                    Attr("output_tokens", """{"intValue":340}"""),
                    Attr("cache_read_tokens", """{"stringValue":"30000"}"""),
                    Attr("cache_creation_tokens", """{"doubleValue":500.0}"""),
                    Attr("cost_usd", """{"doubleValue":0.0421}"""),
                    S("request_id", "req_011"),
                    S("session.id", "sess-9"),
                    S("user.email", "alice@example.com"),
                    S("event.timestamp", "2025-11-20T11:50:00.000Z")
                )
            )
        );

        var usage = Assert.Single(batch.Usage);
        Assert.Equal(0, batch.Skipped);
        Assert.Equal("agents/req_011", usage.Key);
        Assert.Equal(
            ("alice@example.com", "payments", "anthropic", "claude-code", "sess-9"),
            (usage.User, usage.Team, usage.Provider, usage.Context.Tool, usage.Context.SessionId)
        );
        Assert.Equal(
            (1200, 340, 30000, 500),
            (usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens)
        );
        Assert.Equal(0.0421m, usage.ReportedCostUsd);
        Assert.Equal(new DateTimeOffset(2025, 11, 20, 11, 50, 0, TimeSpan.Zero), usage.OccurredAt);
    }

    [Fact]
    public void The_event_name_is_found_with_the_prefix_or_only_in_the_body()
    {
        var batch = Read(
            Logs(
                "",
                Record(
                    null,
                    S("event.name", "claude_code.api_request"),
                    S("model", "m"),
                    S("user.email", "a@x"),
                    S("request_id", "1")
                ),
                Record("claude_code.api_request", S("model", "m"), S("user.email", "a@x"), S("request_id", "2"))
            )
        );

        Assert.Equal(["agents/1", "agents/2"], batch.Usage.Select(u => u.Key));
    }

    [Fact]
    public void Without_a_request_id_the_key_is_a_stable_hash_of_session_prompt_sequence_and_time()
    {
        string Once() =>
            Read(
                Logs(
                    "",
                    Record(
                        "claude_code.api_request",
                        S("model", "m"),
                        S("user.email", "a@x"),
                        S("session.id", "s"),
                        S("prompt.id", "p"),
                        Attr("event.sequence", """{"intValue":7}""")
                    )
                )
            )
                .Usage.Single()
                .Key;
        var other = Read(
            Logs(
                "",
                Record(
                    "claude_code.api_request",
                    S("model", "m"),
                    S("user.email", "a@x"),
                    S("session.id", "s"),
                    S("prompt.id", "p"),
                    Attr("event.sequence", """{"intValue":8}""")
                )
            )
        )
            .Usage.Single()
            .Key;

        Assert.Equal(Once(), Once());
        Assert.NotEqual(Once(), other);
    }

    [Fact]
    public void A_Codex_completed_response_moves_cached_tokens_out_of_input()
    {
        var batch = Read(
            Logs(
                "",
                Record(
                    null,
                    S("event.name", "codex.sse_event"),
                    S("event.kind", "response.completed"),
                    S("model", "gpt-5-codex"),
                    S("conversation.id", "conv-1"),
                    S("user.account_id", "acct-7"),
                    Attr("input_token_count", """{"intValue":"9000"}"""),
                    Attr("cached_token_count", """{"intValue":"6000"}"""),
                    Attr("output_token_count", """{"intValue":"700"}"""),
                    Attr("reasoning_token_count", """{"intValue":"500"}"""),
                    Attr("tool_token_count", """{"intValue":"0"}""")
                ),
                Record(
                    null,
                    S("event.name", "codex.sse_event"),
                    S("event.kind", "response.output_text.delta"),
                    S("user.account_id", "acct-7")
                )
            )
        );

        var usage = Assert.Single(batch.Usage);
        Assert.Equal(1, batch.Skipped);
        Assert.Equal(
            ("openai", "codex", "conv-1", "acct-7"),
            (usage.Provider, usage.Context.Tool, usage.Context.SessionId, usage.User)
        );
        Assert.Equal(
            (3000, 6000, 700, 500),
            (usage.InputTokens, usage.CacheReadTokens, usage.OutputTokens, usage.ReasoningTokens)
        );
    }

    [Fact]
    public void A_Gemini_CLI_response_bills_thoughts_as_output()
    {
        var batch = Read(
            Logs(
                "",
                Record(
                    null,
                    S("event.name", "gemini_cli.api_response"),
                    S("model", "gemini-2.5-pro"),
                    S("session.id", "g-1"),
                    S("user.email", "bob@x"),
                    Attr("input_token_count", """{"intValue":4000}"""),
                    Attr("cached_content_token_count", """{"intValue":1000}"""),
                    Attr("output_token_count", """{"intValue":200}"""),
                    Attr("thoughts_token_count", """{"intValue":300}"""),
                    Attr("total_token_count", """{"intValue":4500}""")
                )
            )
        );

        var usage = Assert.Single(batch.Usage);
        Assert.Equal(("google", "gemini-cli"), (usage.Provider, usage.Context.Tool));
        Assert.Equal(
            (3000, 1000, 500, 300),
            (usage.InputTokens, usage.CacheReadTokens, usage.OutputTokens, usage.ReasoningTokens)
        );
    }

    [Fact]
    public void A_user_prompt_becomes_an_activity_and_unrelated_records_are_skipped_not_refused()
    {
        var batch = Read(
            Logs(
                "",
                Record("claude_code.user_prompt", S("user.email", "a@x"), S("session.id", "s1"), S("prompt.id", "p1")),
                Record("claude_code.tool_result", S("user.email", "a@x")),
                """{"timeUnixNano":"1","body":{"stringValue":"Example log record"},"attributes":[]}"""
            )
        );

        var prompt = Assert.Single(batch.Activities);
        Assert.Equal((ActivityKinds.UserPrompt, "s1"), (prompt.Kind, prompt.SessionId));
        Assert.Empty(batch.Usage);
        Assert.Equal(2, batch.Skipped);
        Assert.Contains("tool_result", batch.SkipMessage);
    }

    [Fact]
    public void A_record_without_a_user_or_outside_the_time_window_is_skipped()
    {
        var noUser = Read(Logs("", Record("claude_code.api_request", S("model", "m"), S("request_id", "1"))));
        var tooOld = Read(
            Logs("", Record("claude_code.api_request", S("model", "m"), S("user.email", "a@x"))),
            Now.AddDays(400)
        );

        Assert.Equal((0, 1), (noUser.Usage.Count, noUser.Skipped));
        Assert.Equal((0, 1), (tooOld.Usage.Count, tooOld.Skipped));
    }
}
