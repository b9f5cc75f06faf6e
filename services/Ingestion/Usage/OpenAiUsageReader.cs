using System.Text.Json;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Usage;

/// <summary>
/// OpenAI's usage object, Chat Completions (prompt_tokens…) or Responses (input_tokens…). Cached tokens are inside
/// the prompt count there and reasoning inside the completion count, so cached tokens are subtracted from input.
/// </summary>
internal static class OpenAiUsageReader
{
    public static UsageRecorded? Read(JsonElement item, string path, ValidationErrors errors, IntakeContext intake)
    {
        if (UsageEnvelope.ReadNative(item, path, errors, intake, "openai", "OpenAI") is not var (usage, fields))
            return null;
        if (fields is not { } u)
            return usage;
        var max = intake.Limits.MaxTokensPerBucket;
        var chat = u.Has("prompt_tokens") || u.Has("completion_tokens");
        var (promptField, completionField, promptDetails, completionDetails) = chat
            ? ("prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details")
            : ("input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details");
        var prompt = u.Count(promptField, max);
        var completion = u.Count(completionField, max);
        var cached = Nested(u, promptDetails, "cached_tokens", max, errors);
        var reasoning = Nested(u, completionDetails, "reasoning_tokens", max, errors);
        if (cached > prompt)
            u.Fail($"{promptDetails}.cached_tokens", $"cannot exceed {promptField}");
        if (reasoning > completion)
            u.Fail($"{completionDetails}.reasoning_tokens", $"cannot exceed {completionField}");
        return usage with
        {
            InputTokens = Math.Max(0, prompt - cached),
            CacheReadTokens = cached,
            OutputTokens = completion,
            ReasoningTokens = reasoning,
        };
    }

    private static long Nested(
        JsonFields parent,
        string objectField,
        string countField,
        long max,
        ValidationErrors errors
    )
    {
        if (!parent.TryGet(objectField, out var details))
            return 0;
        if (details.ValueKind != JsonValueKind.Object)
        {
            parent.Fail(objectField, "must be an object");
            return 0;
        }
        return new JsonFields(details, parent.Name(objectField + "."), errors).Count(countField, max);
    }
}
