using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.AgentTelemetry.ReceivingMetrics;

/// <summary>
/// Turns Claude Code's activity metrics into <see cref="ActivityRecorded"/> signals, one per data point.
/// claude_code.token.usage and claude_code.cost.usage repeat what the api_request log events carry, so they are
/// ignored on purpose (accepted, not counted); other metrics are skipped and reported.
/// </summary>
internal static class OtlpMetricsReader
{
    private static readonly HashSet<string> Repeats = ["claude_code.token.usage", "claude_code.cost.usage"];

    public static OtlpBatch Read(JsonElement root, string source, DateTimeOffset now)
    {
        var batch = new OtlpBatch();
        foreach (var resourceMetrics in OtlpTime.Array(root, "resourceMetrics"))
        {
            var resource = resourceMetrics.TryGetProperty("resource", out var r) ? new OtlpAttributes(r) : new OtlpAttributes(default);
            foreach (var scopeMetrics in OtlpTime.Array(resourceMetrics, "scopeMetrics"))
                foreach (var metric in OtlpTime.Array(scopeMetrics, "metrics"))
                    ReadMetric(metric, resource, batch, source, now);
        }
        return batch;
    }

    private static void ReadMetric(JsonElement metric, OtlpAttributes resource, OtlpBatch batch, string source, DateTimeOffset now)
    {
        var name = metric.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        if (Repeats.Contains(name)) return;
        var points = (metric.TryGetProperty("sum", out var sum) ? OtlpTime.Array(sum, "dataPoints") : []).ToList();
        if (name is not ("claude_code.commit.count" or "claude_code.pull_request.count" or "claude_code.lines_of_code.count"))
        {
            foreach (var _ in points.DefaultIfEmpty()) batch.Skip($"metric '{name}' is not an activity signal");
            return;
        }
        var cumulative = sum.TryGetProperty("aggregationTemporality", out var t) && t.ValueKind == JsonValueKind.Number && t.GetInt32() == 2;
        foreach (var point in points)
        {
            var a = new OtlpAttributes(point, resource);
            var user = a.First("user.email", "user.account_uuid", "user.account_id", "user.id");
            var at = OtlpTime.FromUnixNanos(point, "timeUnixNano");
            var count = Value(point);
            var kind = name switch
            {
                "claude_code.commit.count" => ActivityKinds.Commit,
                "claude_code.pull_request.count" => ActivityKinds.PullRequest,
                _ => a.String("type") == "removed" ? ActivityKinds.LinesRemoved : ActivityKinds.LinesAdded,
            };
            if (cumulative) { batch.Skip($"{name}: cumulative temporality is not supported; export delta (the default)"); continue; }
            if (user is null || at is not { } occurredAt || count is not { } value) { batch.Skip($"{name} data point without user, time or value"); continue; }
            if (occurredAt > now + OccurrenceWindow.MaxClockSkew || occurredAt < now - OccurrenceWindow.MaxAge)
            {
                batch.Skip($"{name} outside the accepted time window");
                continue;
            }
            var session = a.String("session.id");
            var id = StableId.Of(name, kind, user, session, point.TryGetProperty("startTimeUnixNano", out var s) ? s.GetRawText() : null,
                point.GetProperty("timeUnixNano").GetRawText());
            batch.Activities.Add(new ActivityRecorded
            {
                Key = UsageKeys.For(source, id), Source = source, OccurredAt = occurredAt, User = user, Team = a.String("team.id"),
                Kind = kind, Count = value, Tool = "claude-code", SessionId = session, Model = a.String("model"),
            });
        }
    }

    private static long? Value(JsonElement point)
    {
        if (point.TryGetProperty("asInt", out var asInt))
        {
            if (asInt.ValueKind == JsonValueKind.Number && asInt.TryGetInt64(out var number)) return number;
            if (asInt.ValueKind == JsonValueKind.String && long.TryParse(asInt.GetString(), out var parsed)) return parsed;
        }
        if (point.TryGetProperty("asDouble", out var asDouble) && asDouble.ValueKind == JsonValueKind.Number)
            return (long)Math.Round(asDouble.GetDouble());
        return null;
    }
}
