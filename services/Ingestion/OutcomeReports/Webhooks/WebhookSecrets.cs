namespace Tokenwise.Ingestion.OutcomeReports.Webhooks;

/// <summary>Shared secrets that sign webhooks. A webhook with no secret configured is refused (never accepted unsigned).</summary>
public sealed record WebhookSecrets(string? GitHub, string? PagerDuty)
{
    public static WebhookSecrets Read(IConfiguration configuration) =>
        new(
            NullIfEmpty(configuration["TOKENWISE_GITHUB_SECRET"]),
            NullIfEmpty(configuration["TOKENWISE_PAGERDUTY_SECRET"])
        );

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
