using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Security;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.Usage;

/// <summary>
/// The POST endpoint every JSON usage shape shares: one object or an array of up to 5,000, all-or-nothing — any
/// invalid item rejects the batch with every error named by index and field, and nothing is stored.
/// </summary>
internal static class UsageShapeEndpoint
{
    public static RouteHandlerBuilder MapUsageShape(
        this IEndpointRouteBuilder app,
        string pattern,
        string name,
        ItemReader<UsageRecorded> reader
    ) =>
        app.MapPost(
                pattern,
                (HttpContext http, UsageIntake intake, IntakeLimits limits, TimeProvider clock, CancellationToken ct) =>
                    Handle(http, intake, IntakeContext.Of(http, clock, limits), reader, ct)
            )
            .RequireAuthorization(Scopes.Ingest)
            .WithName(name)
            .Accepts<JsonElement>("application/json")
            .Produces<IngestResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> Handle(
        HttpContext http,
        UsageIntake intake,
        IntakeContext context,
        ItemReader<UsageRecorded> reader,
        CancellationToken ct
    )
    {
        return await JsonBody.HandleAsync(
            http.Request,
            ct,
            async root =>
            {
                var errors = new ValidationErrors();
                var items = JsonBatch.Read(
                    root,
                    reader,
                    (usage, intake) => IntakeRules.Problems(usage, intake.Limits),
                    errors,
                    context
                );
                if (errors.Any)
                    return errors.ToProblem();
                var answer = await intake.SubmitAsync(items, http.User.Binding(), ct);
                return answer.Stored is { } stored
                    ? Results.Accepted(value: stored)
                    : Refused(answer.Refused, root.ValueKind == JsonValueKind.Array);
            }
        );
    }

    /// <summary>403 naming each item the key may not report, and nothing stored.</summary>
    public static IResult Refused(IReadOnlyList<Refusal> refused, bool batch)
    {
        var errors = new ValidationErrors();
        foreach (var r in refused)
            errors.Add(batch ? $"[{r.Index}].{r.Field}" : r.Field, r.Message);
        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "This key may not report these items",
            detail: "A personal or team key reports only the people it speaks for. Nothing was stored.",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToDictionary() }
        );
    }
}
