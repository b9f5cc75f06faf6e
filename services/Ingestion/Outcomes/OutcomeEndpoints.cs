using Tokenwise.Ingestion.Outcomes.GitHubWebhooks;
using Tokenwise.Ingestion.Outcomes.PagerDutyWebhooks;
using Tokenwise.Ingestion.Outcomes.RecordingOutcomes;
using Tokenwise.Ingestion.Outcomes.Webhooks;

namespace Tokenwise.Ingestion.Outcomes;

internal static class OutcomeEndpoints
{
    public static void AddOutcomes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(WebhookSecrets.Read(configuration));
        services.AddScoped<OutcomeIntake>();
    }

    public static void MapOutcomes(this IEndpointRouteBuilder app)
    {
        app.MapRecordOutcomes();
        app.MapGitHubWebhook();
        app.MapPagerDutyWebhook();
    }
}
