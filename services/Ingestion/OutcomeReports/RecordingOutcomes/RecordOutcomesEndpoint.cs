using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.OutcomeReports.RecordingOutcomes;

/// <summary>POST /v1/outcomes (outcomes scope: CI and delivery systems): one outcome or a batch, all-or-nothing, each id once.</summary>
internal static class RecordOutcomesEndpoint
{
    public static void MapRecordOutcomes(this IEndpointRouteBuilder app) =>
        app.MapPost(
                "/v1/outcomes",
                async (
                    HttpContext http,
                    OutcomeIntake intake,
                    IntakeLimits limits,
                    TimeProvider clock,
                    CancellationToken ct
                ) =>
                {
                    return await JsonBody.HandleAsync(
                        http.Request,
                        ct,
                        async root =>
                        {
                            var errors = new ValidationErrors();
                            var items = JsonBatch.Read(
                                root,
                                CanonicalOutcomeReader.Read,
                                (outcome, _) => IntakeRules.Problems(outcome),
                                errors,
                                new IntakeContext(http.User.Source(), clock.GetUtcNow(), limits)
                            );
                            if (errors.Any)
                                return errors.ToProblem();
                            return Results.Accepted(value: await intake.SubmitAsync(items, ct));
                        }
                    );
                }
            )
            .RequireAuthorization(Scopes.Outcomes)
            .WithName("RecordOutcomes")
            .Accepts<JsonElement>("application/json")
            .Produces<IngestResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();
}
