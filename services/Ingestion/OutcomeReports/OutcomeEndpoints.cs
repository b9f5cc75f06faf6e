using Tokenwise.Ingestion.OutcomeReports.GitHubWebhooks;
using Tokenwise.Ingestion.OutcomeReports.RecordingOutcomes;
using Tokenwise.Ingestion.OutcomeReports.Webhooks;

namespace Tokenwise.Ingestion.OutcomeReports;

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
