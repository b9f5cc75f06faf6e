using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.AgentTelemetry;

/// <summary>
/// Turns OTLP log records from coding agents into usage events: Claude Code <c>api_request</c>, Codex
/// <c>codex.sse_event</c> with <c>event.kind=response.completed</c>, Gemini CLI <c>gemini_cli.api_response</c>.
/// Claude Code <c>user_prompt</c> becomes a user-prompt activity. Everything else is skipped, never an error.
/// </summary>
internal static class OtlpLogsReader
{
    public static OtlpBatch Read(JsonElement root, IntakeContext intake)
    {
        var batch = new OtlpBatch();
        foreach (var resourceLogs in OtlpTime.Array(root, "resourceLogs"))
        {
            var resource = new OtlpAttributes(OtlpTime.Property(resourceLogs, "resource"));
            foreach (var scopeLogs in OtlpTime.Array(resourceLogs, "scopeLogs"))
            foreach (var record in OtlpTime.Array(scopeLogs, "logRecords"))
                ReadRecord(record, new OtlpAttributes(record, resource), batch, intake);
        }
        return batch;
    }

    private static void ReadRecord(JsonElement record, OtlpAttributes a, OtlpBatch batch, IntakeContext intake)
    {
        var (source, now) = (intake.Source, intake.Now);
        if (record.ValueKind != JsonValueKind.Object)
        {
            batch.Skip("a log record is not an object");
            return;
        }
        var name = EventName(record, a);
        var at =
            OtlpTime.FromText(a.String("event.timestamp"))
            ?? OtlpTime.FromUnixNanos(record, "timeUnixNano")
            ?? OtlpTime.FromUnixNanos(record, "observedTimeUnixNano");
        // A personal key's user stands in for telemetry that names no one (an agent on that person's laptop).
        var user = a.First("user.email", "user.account_uuid", "user.account_id", "user.id") ?? intake.Sender.User;
        if (name is not ("api_request" or "user_prompt" or "codex.sse_event" or "gemini_cli.api_response"))
        {
            batch.Skip($"event '{OtlpBatch.Quote(name)}' carries no usage");
            return;
        }
        if (name == "codex.sse_event" && a.String("event.kind") != "response.completed")
        {
            batch.Skip("codex.sse_event other than response.completed carries no usage");
            return;
        }
        if (user is null)
        {
            batch.Skip($"{name} without user.email or account id");
            return;
        }
        if (at is not { } occurredAt)
        {
            batch.Skip($"{name} without a timestamp");
            return;
        }
        if (occurredAt > now + OccurrenceWindow.MaxClockSkew || occurredAt < now - OccurrenceWindow.MaxAge)
        {
            batch.Skip($"{name} outside the accepted time window (35 days back, 5 minutes ahead)");
            return;
        }

        var session = a.First("session.id", "conversation.id");
        var id =
            a.String("request_id")
            ?? StableId.Of(name, session, a.String("prompt.id"), a.String("event.sequence"), occurredAt.ToString("O"));
        var team = a.String("team.id");
        if (name == "user_prompt")
        {
            batch.Add(
                new ActivityRecorded
                {
                    Key = UsageKeys.For(source, id),
                    Source = source,
                    OccurredAt = occurredAt,
                    User = user,
                    Team = team,
                    Kind = ActivityKinds.UserPrompt,
                    Count = 1,
                    Tool = "claude-code",
                    SessionId = session,
                },
                name,
                a
            );
            return;
        }
        var model = a.String("model");
        if (model is null)
        {
            batch.Skip($"{name} without a model");
            return;
        }

        var usage = new UsageRecorded
        {
            Key = UsageKeys.For(source, id),
            Source = source,
            Id = id,
            OccurredAt = occurredAt,
            RecordedAt = now,
            User = user,
            Team = team,
            Model = model,
            Context = new UsageContext
            {
                SessionId = session,
                AgentName = a.String("agent.name"),
                RequestId = a.String("request_id"),
            },
        };
        batch.Add(
            name switch
            {
                "api_request" => ClaudeCode(usage, a),
                "codex.sse_event" => Codex(usage, a),
                _ => GeminiCli(usage, a),
            },
            name,
            a,
            intake.Limits
        );
    }

    /// <summary>Claude Code reports Anthropic's buckets; its cache writes are 5-minute writes.</summary>
    private static UsageRecorded ClaudeCode(UsageRecorded usage, OtlpAttributes a) =>
        usage with
        {
            Provider = "anthropic",
            InputTokens = a.Long("input_tokens") ?? 0,
            OutputTokens = a.Long("output_tokens") ?? 0,
            CacheReadTokens = a.Long("cache_read_tokens") ?? 0,
            CacheWriteTokens = a.Long("cache_creation_tokens") ?? 0,
            ReportedCostUsd = a.Decimal("cost_usd") ?? a.Decimal("cost_usd_micros") / 1_000_000m,
            Context = usage.Context with { Tool = "claude-code" },
        };

    /// <summary>Codex reports OpenAI's counts: cached tokens are inside input, reasoning inside output.</summary>
    private static UsageRecorded Codex(UsageRecorded usage, OtlpAttributes a)
    {
        var input = a.Long("input_token_count") ?? 0;
        var cached = Math.Clamp(a.Long("cached_token_count") ?? 0, 0, Math.Max(input, 0));
        return usage with
        {
            Provider = "openai",
            InputTokens = input - cached,
            CacheReadTokens = cached,
            OutputTokens = a.Long("output_token_count") ?? 0,
            ReasoningTokens = a.Long("reasoning_token_count") ?? 0,
            Context = usage.Context with { Tool = "codex" },
        };
    }

    /// <summary>Gemini counts cached content inside input and thoughts beside output; thoughts bill as output.</summary>
    private static UsageRecorded GeminiCli(UsageRecorded usage, OtlpAttributes a)
    {
        var input = a.Long("input_token_count") ?? 0;
        var cached = Math.Clamp(a.Long("cached_content_token_count") ?? 0, 0, Math.Max(input, 0));
        var thoughts = a.Long("thoughts_token_count") ?? 0;
        return usage with
        {
            Provider = "google",
            InputTokens = input - cached,
            CacheReadTokens = cached,
            // Both are bounded by the intake rules; their sum must not wrap around before the rules see it.
            OutputTokens = (long)
                Math.Clamp((decimal)(a.Long("output_token_count") ?? 0) + thoughts, long.MinValue, long.MaxValue),
            ReasoningTokens = thoughts,
            Context = usage.Context with { Tool = "gemini-cli" },
        };
    }

    /// <summary>event.name, else the body; Claude Code's "claude_code." prefix comes and goes between versions.</summary>
    private static string? EventName(JsonElement record, OtlpAttributes a)
    {
        var name = a.String("event.name");
        if (
            name is null
            && OtlpTime.Property(record, "body") is { ValueKind: JsonValueKind.Object } body
            && body.TryGetProperty("stringValue", out var text)
            && text.ValueKind == JsonValueKind.String
            && JsonFields.TryGetString(text, out var bodyText)
        )
            name = bodyText;
        return name?.StartsWith("claude_code.", StringComparison.Ordinal) == true
            ? name["claude_code.".Length..]
            : name;
    }
}
