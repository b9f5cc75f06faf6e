using System.Text.Json;
using Tokenwise.Client.Models;
using Tokenwise.Contracts;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Usage.RecordingUsage;

/// <summary>POST /v1/usage: one canonical usage event or a batch of them, all-or-nothing.</summary>
internal static class RecordUsageEndpoint
{
    public const int MaxBatch = 5000;

    public static void MapRecordUsage(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/usage", Handle)
            .RequireAuthorization(Scopes.Ingest)
            .WithName("RecordUsage")
            .Accepts<JsonElement>("application/json")
            .Produces<IngestResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> Handle(HttpContext http, UsageStore store, TimeProvider clock, CancellationToken ct)
    {
        var (document, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = document;
        var source = http.User.Source();
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        var items = Read(document!.RootElement, errors, source, now);
        if (errors.Any) return errors.ToProblem();
        var result = await store.AppendAsync(items, ct);
        return Results.Accepted(value: result);
    }

    internal static List<UsageRecorded> Read(JsonElement root, ValidationErrors errors, string source, DateTimeOffset now)
    {
        var items = new List<UsageRecorded>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            var count = root.GetArrayLength();
            if (count == 0) errors.Add("$", "the batch is empty");
            if (count > MaxBatch) errors.Add("$", $"a batch holds at most {MaxBatch} events; this one has {count}");
            if (errors.Any) return items;
            var index = 0;
            foreach (var element in root.EnumerateArray())
                if (CanonicalUsageReader.Read(element, $"[{index++}].", errors, source, now) is { } usage) items.Add(usage);
        }
        else if (CanonicalUsageReader.Read(root, "", errors, source, now) is { } usage) items.Add(usage);
        return items;
    }
}
