namespace Tokenwise.Ingestion.Usage;

/// <summary>A sender's id is unique only within its source (the API key's source name).</summary>
public static class UsageKeys
{
    public static string For(string source, string id) => $"{source}/{id}";
}
