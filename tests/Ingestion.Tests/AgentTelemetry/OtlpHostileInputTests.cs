using System.Text.Json;
using Tokenwise.Ingestion.AgentTelemetry;
using Tokenwise.Ingestion.Validation;

namespace Tokenwise.Ingestion.Tests.AgentTelemetry;

/// <summary>The OTLP path obeys the same rules as the canonical one: an offending record is skipped and counted, never stored.</summary>
public sealed class OtlpHostileInputTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private const string At = "1763639400000000000"; // 2025-11-20T11:50:00Z

    private static string S(string key, string value) =>
        "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":" + JsonSerializer.Serialize(value) + "}}";

    private static string I(string key, string digits) =>
        "{\"key\":\"" + key + "\",\"value\":{\"intValue\":\"" + digits + "\"}}";

    private static string ApiRequest(params string[] attributes) =>
        $$"""{"timeUnixNano":"{{At}}","body":{"stringValue":"claude_code.api_request"},"attributes":[{{string.Join(",", attributes)}}]}""";

    private static OtlpBatch Logs(params string[] records)
    {
        using var document = JsonDocument.Parse(
            $$"""{"resourceLogs":[{"scopeLogs":[{"logRecords":[{{string.Join(",", records)}}]}]}]}"""
        );
        return OtlpLogsReader.Read(document.RootElement, new IntakeContext("agents", Now, IntakeLimits.Default));
    }

    private static readonly string[] Valid =
    [
        S("model", "claude-sonnet-4-5"),
        S("user.email", "alice@example.com"),
        I("input_tokens", "1200"),
    ];

    [Theory]
    [InlineData("user.email", 3_000, "user")]
    [InlineData("session.id", 3_000, "sessionId")]
    [InlineData("model", 250, "model")]
    [InlineData("request_id", 300, "id")]
    public void A_record_with_an_identifier_too_long_to_index_is_skipped_and_counted(
        string attribute,
        int length,
        string field
    )
    {
        var batch = Logs(
            ApiRequest([.. Valid.Where(a => !a.Contains($"\"{attribute}\"")), S(attribute, new string('x', length))]),
            ApiRequest([.. Valid, S("request_id", "fine")])
        );

        Assert.Equal(["agents/fine"], batch.Usage.Select(u => u.Key));
        Assert.Equal(1, batch.Skipped);
        Assert.Contains($"api_request: {field} must be at most 200 bytes", batch.SkipMessage);
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("a\u202Eb")]
    public void A_record_naming_a_team_with_control_characters_is_skipped(string team)
    {
        var batch = Logs(ApiRequest([.. Valid, S("team.id", team)]));
        Assert.Empty(batch.Usage);
        Assert.Contains("team must not contain", batch.SkipMessage);
    }

    [Fact]
    public void A_value_JSON_escapes_as_half_a_surrogate_pair_skips_the_record_instead_of_failing_the_request()
    {
        using var document = JsonDocument.Parse(
            """
            {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1763639400000000000","body":{"stringValue":"claude_code.api_request"},
             "attributes":[{"key":"model","value":{"stringValue":"m"}},{"key":"user.email","value":{"stringValue":"a@x"}},
                           {"key":"session.id","value":{"stringValue":"\ud800"}}]}]}]}]}
            """
        );
        var batch = OtlpLogsReader.Read(document.RootElement, new IntakeContext("agents", Now, IntakeLimits.Default));

        Assert.Empty(batch.Usage);
        Assert.Contains("session.id is not valid Unicode text", batch.SkipMessage);
    }

    [Theory]
    [InlineData("input_tokens", "5000000000000000000")]
    [InlineData("output_tokens", "100000001")]
    [InlineData("cache_read_tokens", "-5")]
    [InlineData("input_tokens", "1e400")]
    public void Token_counts_outside_the_bound_skip_the_record(string attribute, string digits)
    {
        var batch = Logs(ApiRequest(S("model", "m"), S("user.email", "a@x"), I(attribute, digits)));
        Assert.Empty(batch.Usage);
        Assert.Equal(1, batch.Skipped);
    }

    [Fact]
    public void Gemini_output_and_thoughts_that_would_overflow_together_are_refused_not_wrapped()
    {
        var batch = Logs(
            $$"""
            {"timeUnixNano":"{{At}}","attributes":[{{S("event.name", "gemini_cli.api_response")}},{{S(
                "model",
                "gemini-2.5-pro"
            )}},
             {{S("user.email", "a@x")}},{{I("output_token_count", "9223372036854775807")}},{{I(
                "thoughts_token_count",
                "9223372036854775807"
            )}}]}
            """
        );
        Assert.Empty(batch.Usage);
        Assert.Contains("outputTokens must be at most 100,000,000", batch.SkipMessage);
    }

    [Fact]
    public void Junk_in_the_shape_itself_is_skipped_never_thrown()
    {
        using var logs = JsonDocument.Parse(
            """{"resourceLogs":[7,{"resource":"x","scopeLogs":[{"logRecords":[1,"two",null,{"attributes":5}]}]}]}"""
        );
        var read = OtlpLogsReader.Read(logs.RootElement, new IntakeContext("agents", Now, IntakeLimits.Default));
        Assert.Empty(read.Usage);
        Assert.Equal(4, read.Skipped);

        using var metrics = JsonDocument.Parse(
            """
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[5,{"name":"claude_code.commit.count","sum":{"aggregationTemporality":1e300,
             "dataPoints":[3,{"asDouble":1e300,"timeUnixNano":"1763639400000000000","attributes":[{"key":"user.email","value":{"stringValue":"a@x"}}]}]}}]}]}]}
            """
        );
        var counted = OtlpMetricsReader.Read(
            metrics.RootElement,
            new IntakeContext("agents", Now, IntakeLimits.Default)
        );
        Assert.Empty(counted.Activities);
        Assert.True(counted.Skipped >= 2);
    }

    [Fact]
    public void However_many_junk_event_names_arrive_the_skip_message_stays_short()
    {
        var records = Enumerable
            .Range(0, 500)
            .Select(i => "{\"timeUnixNano\":\"" + At + "\",\"body\":{\"stringValue\":\"junk-" + i + "\"}}")
            .ToArray();
        var batch = Logs(records);
        Assert.Equal(500, batch.Skipped);
        Assert.InRange(batch.SkipMessage!.Length, 1, 1_000);
    }
}
