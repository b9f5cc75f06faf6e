namespace Tokenwise.Ingestion.Usage;

/// <summary>Idempotency keys: a sender's id is unique only within its source (the API key's source name).</summary>
public static class UsageKeys
{
    public static string For(string source, string id) => $"{source}/{id}";

    /// <summary>Each accepted usage event is its own stream; the stream key's uniqueness is what stops duplicates.</summary>
    public static string StreamKey(string usageKey) => "usage:" + usageKey;

    public static string ActivityStreamKey(string activityKey) => "activity:" + activityKey;
}
