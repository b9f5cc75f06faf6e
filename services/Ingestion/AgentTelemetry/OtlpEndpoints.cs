using System.Text.Json;
using Tokenwise.Ingestion.Usage;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.AgentTelemetry;

/// <summary>
/// OTLP/HTTP JSON receivers, so agents export unchanged with OTEL_EXPORTER_OTLP_ENDPOINT=http://host:5101/otlp and
/// OTEL_EXPORTER_OTLP_PROTOCOL=http/json. Unknown records are skipped and reported in partialSuccess.
/// </summary>
internal static class OtlpEndpoints
{
    public static void MapOtlp(this IEndpointRouteBuilder app)
    {
        app.MapPost(
                "/otlp/v1/logs",
                (HttpContext http, UsageIntake intake, IntakeLimits limits, TimeProvider clock, CancellationToken ct) =>
                    Receive(
                        http,
                        intake,
                        IntakeContext.Of(http, clock, limits),
                        OtlpLogsReader.Read,
                        "rejectedLogRecords",
                        ct
                    )
            )
            .RequireAuthorization(Scopes.Ingest)
            .WithName("ReceiveOtlpLogs");
        app.MapPost(
                "/otlp/v1/metrics",
                (HttpContext http, UsageIntake intake, IntakeLimits limits, TimeProvider clock, CancellationToken ct) =>
                    Receive(
                        http,
                        intake,
                        IntakeContext.Of(http, clock, limits),
                        OtlpMetricsReader.Read,
                        "rejectedDataPoints",
                        ct
                    )
            )
            .RequireAuthorization(Scopes.Ingest)
            .WithName("ReceiveOtlpMetrics");
    }

    private static async Task<IResult> Receive(
        HttpContext http,
        UsageIntake intake,
        IntakeContext context,
        Func<JsonElement, IntakeContext, OtlpBatch> read,
        string rejectedField,
        CancellationToken ct
    )
    {
        if (http.Request.ContentType?.Contains("protobuf", StringComparison.OrdinalIgnoreCase) == true)
            return JsonBody.Problem(
                StatusCodes.Status415UnsupportedMediaType,
                "OTLP protobuf is not supported",
                "Set OTEL_EXPORTER_OTLP_PROTOCOL=http/json."
            );
        return await JsonBody.HandleAsync(
            http.Request,
            ct,
            async root =>
            {
                if (root.ValueKind != JsonValueKind.Object)
                    return JsonBody.Problem(
                        StatusCodes.Status400BadRequest,
                        "Malformed OTLP request",
                        "The body must be a JSON object."
                    );
                var batch = read(root, context);
                if (batch.Usage.Count > 0 || batch.Activities.Count > 0)
                {
                    // Telemetry stays lenient: records naming someone the key does not speak for are skipped and counted.
                    var answer = await intake.SubmitAsync(
                        batch.Usage,
                        context.Sender,
                        ct,
                        batch.Activities,
                        dropRefused: true
                    );
                    foreach (var refused in answer.Refused)
                        batch.Skip($"{refused.Field}: {refused.Message}");
                }
                return Results.Ok(
                    batch.Skipped == 0
                        ? new Dictionary<string, object>()
                        : new Dictionary<string, object>
                        {
                            ["partialSuccess"] = new Dictionary<string, object>
                            {
                                [rejectedField] = batch.Skipped,
                                ["errorMessage"] = batch.SkipMessage!,
                            },
                        }
                );
            }
        );
    }
}
