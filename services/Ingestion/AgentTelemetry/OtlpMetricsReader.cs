using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.AgentTelemetry;

/// <summary>
/// Turns Claude Code's activity metrics into <see cref="ActivityRecorded"/> signals, one per data point.
/// claude_code.token.usage and claude_code.cost.usage repeat what the api_request log events carry, so they are
/// ignored on purpose (accepted, not counted); other metrics are skipped and reported.
/// </summary>
internal static class OtlpMetricsReader
{
    private static readonly HashSet<string> Repeats = ["claude_code.token.usage", "claude_code.cost.usage"];

    public static OtlpBatch Read(JsonElement root, IntakeContext intake)
    {
        var batch = new OtlpBatch();
        foreach (var resourceMetrics in OtlpTime.Array(root, "resourceMetrics"))
        {
            var resource = new OtlpAttributes(OtlpTime.Property(resourceMetrics, "resource"));
            foreach (var scopeMetrics in OtlpTime.Array(resourceMetrics, "scopeMetrics"))
            foreach (var metric in OtlpTime.Array(scopeMetrics, "metrics"))
                ReadMetric(metric, resource, batch, intake);
        }
        return batch;
    }

    private static void ReadMetric(JsonElement metric, OtlpAttributes resource, OtlpBatch batch, IntakeContext intake)
    {
        var (source, now) = (intake.Source, intake.Now);
        var name =
            OtlpTime.Property(metric, "name") is { ValueKind: JsonValueKind.String } n
            && JsonFields.TryGetString(n, out var text)
                ? text
                : "";
        if (Repeats.Contains(name))
            return;
        var sum = OtlpTime.Property(metric, "sum");
        var points = OtlpTime.Array(sum, "dataPoints").ToList();
        if (
            name
            is not ("claude_code.commit.count" or "claude_code.pull_request.count" or "claude_code.lines_of_code.count")
        )
        {
            foreach (var _ in points.DefaultIfEmpty())
                batch.Skip($"metric '{OtlpBatch.Quote(name)}' is not an activity signal");
            return;
        }
        var cumulative =
            OtlpTime.Property(sum, "aggregationTemporality") is { ValueKind: JsonValueKind.Number } t
            && t.TryGetInt32(out var temporality)
            && temporality == 2;
        foreach (var point in points)
        {
            if (point.ValueKind != JsonValueKind.Object)
            {
                batch.Skip($"{name} data point is not an object");
                continue;
            }
            var a = new OtlpAttributes(point, resource);
            // A personal key's user stands in for telemetry that names no one (an agent on that person's laptop).
            var user = a.First("user.email", "user.account_uuid", "user.account_id", "user.id") ?? intake.Sender.User;
            var at = OtlpTime.FromUnixNanos(point, "timeUnixNano");
            var count = Value(point);
            var kind = name switch
            {
                "claude_code.commit.count" => ActivityKinds.Commit,
                "claude_code.pull_request.count" => ActivityKinds.PullRequest,
                _ => a.String("type") == "removed" ? ActivityKinds.LinesRemoved : ActivityKinds.LinesAdded,
            };
            if (cumulative)
            {
                batch.Skip($"{name}: cumulative temporality is not supported; export delta (the default)");
                continue;
            }
            if (user is null || at is not { } occurredAt || count is not { } value)
            {
                batch.Skip($"{name} data point without user, time or value");
                continue;
            }
            if (occurredAt > now + OccurrenceWindow.MaxClockSkew || occurredAt < now - OccurrenceWindow.MaxAge)
            {
                batch.Skip($"{name} outside the accepted time window");
                continue;
            }
            var session = a.String("session.id");
            var id = StableId.Of(
                name,
                kind,
                user,
                session,
                point.TryGetProperty("startTimeUnixNano", out var s) ? s.GetRawText() : null,
                point.GetProperty("timeUnixNano").GetRawText()
            );
            batch.Add(
                new ActivityRecorded
                {
                    Key = UsageKeys.For(source, id),
                    Source = source,
                    OccurredAt = occurredAt,
                    User = user,
                    Team = a.String("team.id"),
                    Kind = kind,
                    Count = value,
                    Tool = "claude-code",
                    SessionId = session,
                    Model = a.String("model"),
                },
                name,
                a
            );
        }
    }

    private static long? Value(JsonElement point)
    {
        if (point.TryGetProperty("asInt", out var asInt))
        {
            if (asInt.ValueKind == JsonValueKind.Number && asInt.TryGetInt64(out var number))
                return number;
            if (
                asInt.ValueKind == JsonValueKind.String
                && JsonFields.TryGetString(asInt, out var digits)
                && long.TryParse(digits, out var parsed)
            )
                return parsed;
        }
        // A double beyond long's range reads as long's bound, for the intake rules to refuse.
        if (point.TryGetProperty("asDouble", out var asDouble) && asDouble.ValueKind == JsonValueKind.Number)
            return Math.Round(asDouble.GetDouble()) switch
            {
                >= 9.2e18 => long.MaxValue, // a double this large is beyond long's range, or at its edge
                <= -9.2e18 => long.MinValue,
                var rounded => (long)rounded,
            };
        return null;
    }
}
