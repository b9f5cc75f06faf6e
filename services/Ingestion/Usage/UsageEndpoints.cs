namespace Tokenwise.Ingestion.Usage;

internal static class UsageEndpoints
{
    public static void MapUsage(this IEndpointRouteBuilder app)
    {
        app.MapUsageShape("/v1/usage", "RecordUsage", CanonicalUsageReader.Read);
        app.MapUsageShape("/v1/usage/openai", "RecordOpenAiUsage", OpenAiUsageReader.Read);
        app.MapUsageShape("/v1/usage/anthropic", "RecordAnthropicUsage", AnthropicUsageReader.Read);
    }
}
