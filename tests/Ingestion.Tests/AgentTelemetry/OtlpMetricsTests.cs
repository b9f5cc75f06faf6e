using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.AgentTelemetry;
using Tokenwise.Ingestion.Validation;

namespace Tokenwise.Ingestion.Tests.AgentTelemetry;

public sealed class OtlpMetricsTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static string Metric(string name, int temporality, string points) =>
        "{\"name\":\""
        + name
        + "\",\"unit\":\"count\",\"sum\":{\"aggregationTemporality\":"
        + temporality
        + ",\"isMonotonic\":true,\"dataPoints\":["
        + points
        + "]}}";

    private static string Attribute(string key, string value) =>
        "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":\"" + value + "\"}}";

    private static string Point(string value, string type = "") =>
        "{\"startTimeUnixNano\":\"1763639340000000000\",\"timeUnixNano\":\"1763639400000000000\","
        + value
        + ",\"attributes\":["
        + Attribute("user.email", "alice@example.com")
        + ","
        + Attribute("session.id", "s-1")
        + (type == "" ? "" : "," + Attribute("type", type))
        + "]}";

    private static OtlpBatch Read(params string[] metrics)
    {
        using var document = JsonDocument.Parse(
            "{\"resourceMetrics\":[{\"resource\":{\"attributes\":["
                + Attribute("team.id", "payments")
                + "]},\"scopeMetrics\":[{\"metrics\":["
                + string.Join(",", metrics)
                + "]}]}]}"
        );
        return OtlpMetricsReader.Read(document.RootElement, new IntakeContext("agents", Now, IntakeLimits.Default));
    }

    [Fact]
    public void Commit_pull_request_and_lines_metrics_become_activity_signals()
    {
        var batch = Read(
            Metric("claude_code.commit.count", 1, Point("\"asInt\":\"2\"")),
            Metric("claude_code.pull_request.count", 1, Point("\"asInt\":1")),
            Metric(
                "claude_code.lines_of_code.count",
                1,
                Point("\"asInt\":\"120\"", "added") + "," + Point("\"asDouble\":30.0", "removed")
            )
        );

        Assert.Equal(0, batch.Skipped);
        Assert.Equal(
            [
                (ActivityKinds.Commit, 2L),
                (ActivityKinds.PullRequest, 1L),
                (ActivityKinds.LinesAdded, 120L),
                (ActivityKinds.LinesRemoved, 30L),
            ],
            batch.Activities.Select(a => (a.Kind, a.Count))
        );
        Assert.All(
            batch.Activities,
            a => Assert.Equal(("alice@example.com", "payments", "s-1"), (a.User, a.Team, a.SessionId))
        );
    }

    [Fact]
    public void Token_and_cost_metrics_are_ignored_because_the_log_events_already_carry_them()
    {
        var batch = Read(
            Metric("claude_code.token.usage", 1, Point("\"asInt\":\"1200\"", "input")),
            Metric("claude_code.cost.usage", 1, Point("\"asDouble\":0.5"))
        );

        Assert.Empty(batch.Activities);
        Assert.Empty(batch.Usage);
        Assert.Equal(0, batch.Skipped);
    }

    [Fact]
    public void Unknown_metrics_and_cumulative_points_are_skipped_and_reported()
    {
        var batch = Read(
            Metric("http.server.duration", 1, Point("\"asInt\":\"3\"")),
            Metric("claude_code.commit.count", 2, Point("\"asInt\":\"5\""))
        );

        Assert.Empty(batch.Activities);
        Assert.Equal(2, batch.Skipped);
        Assert.Contains("delta", batch.SkipMessage);
    }

    [Fact]
    public void The_same_data_point_exported_twice_gets_the_same_key()
    {
        var first = Read(Metric("claude_code.commit.count", 1, Point("\"asInt\":\"1\""))).Activities.Single().Key;
        var again = Read(Metric("claude_code.commit.count", 1, Point("\"asInt\":\"1\""))).Activities.Single().Key;
        Assert.Equal(first, again);
    }
}
