using Tokenwise.Ingestion.Usage;
using static Tokenwise.Ingestion.Tests.Usage.ShapeReading;

namespace Tokenwise.Ingestion.Tests.Usage;

public sealed class CanonicalUsageTests
{
    private const string Valid = """
        {"id":"req-1","occurredAt":"2026-11-20T11:59:00+01:00","user":"alice","team":"payments","provider":"Anthropic",
         "model":"claude-sonnet-4-5-20250929","inputTokens":1200,"cacheReadTokens":30000,"cacheWriteTokens":500,
         "cacheWrite1hTokens":100,"outputTokens":340,"reasoningTokens":40,"reportedCostUsd":0.0123,
         "tool":"claude-code","sessionId":"s-1","repo":"acme/api","branch":"feat/x","prNumber":42,"commitSha":"abc1234",
         "tags":{"env":"dev"}}
        """;

    [Fact]
    public void A_complete_event_keeps_every_bucket_and_its_context()
    {
        var usage = ReadOne(CanonicalUsageReader.Read, Valid);

        Assert.Equal("gateway/req-1", usage.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 59, 0, TimeSpan.Zero), usage.OccurredAt);
        Assert.Equal("anthropic", usage.Provider);
        Assert.Equal(
            (1200, 30000, 500, 100, 340, 40),
            (
                usage.InputTokens,
                usage.CacheReadTokens,
                usage.CacheWriteTokens,
                usage.CacheWrite1hTokens,
                usage.OutputTokens,
                usage.ReasoningTokens
            )
        );
        Assert.Equal(0.0123m, usage.ReportedCostUsd);
        Assert.Equal(
            ("claude-code", "s-1", "acme/api", 42, "abc1234"),
            (
                usage.Context.Tool,
                usage.Context.SessionId,
                usage.Context.Repo,
                usage.Context.PrNumber!.Value,
                usage.Context.CommitSha
            )
        );
        Assert.Equal("dev", usage.Context.Tags!["env"]);
    }

    [Theory]
    [InlineData("""{"occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m"}""", "id", "is required")]
    [InlineData("""{"id":"x","user":"a","model":"m"}""", "occurredAt", "is required")]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20 11:00","user":"a","model":"m"}""", "occurredAt", "RFC 3339")]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20T11:00:00","user":"a","model":"m"}""", "occurredAt", "RFC 3339")]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20T12:06:00Z","user":"a","model":"m"}""", "occurredAt", "future")]
    [InlineData("""{"id":"x","occurredAt":"2026-10-15T11:59:00Z","user":"a","model":"m"}""", "occurredAt", "35 days")]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20T11:00:00Z","model":"m"}""", "user", "is required")]
    [InlineData("""{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a"}""", "model", "is required")]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m","inputTokens":-1}""",
        "inputTokens",
        "≥ 0"
    )]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m","outputTokens":1.5}""",
        "outputTokens",
        "integer"
    )]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m","cacheReadTokens":"12"}""",
        "cacheReadTokens",
        "integer"
    )]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m","outputTokens":5,"reasoningTokens":6}""",
        "reasoningTokens",
        "cannot exceed"
    )]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m","repo":"no-slash"}""",
        "repo",
        "owner/name"
    )]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m","prNumber":0}""",
        "prNumber",
        "positive"
    )]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m","reportedCostUsd":-2}""",
        "reportedCostUsd",
        "≥ 0"
    )]
    [InlineData(
        """{"id":"x","occurredAt":"2026-11-20T11:00:00Z","user":"a","model":"m","provider":"open ai"}""",
        "provider",
        "lower-case"
    )]
    public void An_invalid_field_is_named_with_the_reason(string json, string field, string reason)
    {
        var (_, errors) = Read(CanonicalUsageReader.Read, json);

        Assert.Contains(reason, Assert.Single(errors, e => e.Key == field).Value.Single());
    }

    [Fact]
    public void An_id_longer_than_200_characters_is_rejected()
    {
        var (_, errors) = Read(CanonicalUsageReader.Read, Valid.Replace("\"req-1\"", $"\"{new string('x', 201)}\""));
        Assert.Contains("id", errors.Keys);
    }

    [Fact]
    public void More_than_32_tags_are_rejected()
    {
        var tags = string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"k{i}\":\"v\""));
        var (_, errors) = Read(CanonicalUsageReader.Read, Valid.Replace("{\"env\":\"dev\"}", "{" + tags + "}"));
        Assert.Contains("tags", errors.Keys);
    }

    [Fact]
    public void An_event_four_minutes_ahead_of_our_clock_is_accepted_as_clock_skew()
    {
        var usage = ReadOne(
            CanonicalUsageReader.Read,
            """{"id":"x","occurredAt":"2026-11-20T12:04:00Z","user":"a","model":"m"}"""
        );
        Assert.Equal(ShapeReading.Now.AddMinutes(4), usage.OccurredAt);
    }

    [Fact]
    public void An_event_34_days_late_is_accepted_on_its_own_day()
    {
        var usage = ReadOne(
            CanonicalUsageReader.Read,
            """{"id":"x","occurredAt":"2026-10-17T09:00:00Z","user":"a","model":"m"}"""
        );
        Assert.Equal(new DateTimeOffset(2026, 10, 17, 9, 0, 0, TimeSpan.Zero), usage.OccurredAt);
    }

    [Fact]
    public void Errors_in_a_batch_name_the_item_index()
    {
        var (items, errors) = Read(
            CanonicalUsageReader.Read,
            $"[{Valid}, {{\"id\":\"y\",\"occurredAt\":\"2026-11-20T11:00:00Z\",\"user\":\"a\"}}, 7]"
        );

        Assert.Equal(["[1].model", "[2]"], errors.Keys.Order());
        Assert.NotEmpty(items);
    }

    [Fact]
    public void An_empty_batch_and_an_oversized_batch_are_rejected_as_a_whole()
    {
        Assert.Contains("$", Read(CanonicalUsageReader.Read, "[]").Errors.Keys);
        var big = "[" + string.Join(",", Enumerable.Repeat(Valid, 5001)) + "]";
        Assert.Contains("5000", Read(CanonicalUsageReader.Read, big).Errors["$"].Single());
    }
}
