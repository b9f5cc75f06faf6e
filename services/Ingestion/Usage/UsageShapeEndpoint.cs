using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Usage;

/// <summary>Reads one item of a usage shape into a <see cref="UsageRecorded"/>, recording field errors.</summary>
internal delegate UsageRecorded? UsageItemReader(JsonElement item, string path, ValidationErrors errors, string source, DateTimeOffset now);

/// <summary>
/// The POST endpoint every JSON usage shape shares: one object or an array of up to 5,000, all-or-nothing — any
/// invalid item rejects the batch with every error named by index and field, and nothing is stored.
/// </summary>
internal static class UsageShapeEndpoint
{
    public const int MaxBatch = 5000;

    public static RouteHandlerBuilder MapUsageShape(this IEndpointRouteBuilder app, string pattern, string name, UsageItemReader reader) =>
        app.MapPost(pattern, (HttpContext http, UsageIntake intake, TimeProvider clock, CancellationToken ct) =>
                Handle(http, intake, clock, reader, ct))
            .RequireAuthorization(Scopes.Ingest)
            .WithName(name)
            .Accepts<JsonElement>("application/json")
            .Produces<IngestResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> Handle(
        HttpContext http, UsageIntake intake, TimeProvider clock, UsageItemReader reader, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = document;
        var errors = new ValidationErrors();
        var items = Read(document!.RootElement, reader, errors, http.User.Source(), clock.GetUtcNow());
        if (errors.Any) return errors.ToProblem();
        return Results.Accepted(value: await intake.SubmitAsync(items, ct));
    }

    internal static List<UsageRecorded> Read(
        JsonElement root, UsageItemReader reader, ValidationErrors errors, string source, DateTimeOffset now)
    {
        var items = new List<UsageRecorded>();
        if (root.ValueKind != JsonValueKind.Array)
        {
            if (reader(root, "", errors, source, now) is { } single) items.Add(single);
            return items;
        }
        var count = root.GetArrayLength();
        if (count == 0) errors.Add("$", "the batch is empty");
        if (count > MaxBatch) errors.Add("$", $"a batch holds at most {MaxBatch} events; this one has {count}");
        if (errors.Any) return items;
        var index = 0;
        foreach (var element in root.EnumerateArray())
            if (reader(element, $"[{index++}].", errors, source, now) is { } usage) items.Add(usage);
        return items;
    }
}
