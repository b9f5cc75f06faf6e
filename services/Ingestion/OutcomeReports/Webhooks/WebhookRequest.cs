using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Tokenwise.Ingestion.Validation;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.Ingestion.OutcomeReports.Webhooks;

/// <summary>Reads a webhook's raw body (signatures cover the exact bytes) and the problems a sender gets back.</summary>
internal static class WebhookRequest
{
    public static async Task<(byte[]? Body, IResult? Problem)> ReadRawAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > JsonBody.MaxBytes)
            return (null, TooLarge());
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = JsonBody.MaxBytes;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            return (buffer.ToArray(), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    public static JsonDocument? TryParse(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static IResult NotConfigured(string variable) =>
        JsonBody.Problem(
            StatusCodes.Status503ServiceUnavailable,
            "Webhook not configured",
            $"Set {variable} to the webhook's secret; unsigned webhooks are never accepted."
        );

    public static IResult BadSignature(string header) =>
        JsonBody.Problem(
            StatusCodes.Status401Unauthorized,
            "Invalid webhook signature",
            $"{header} is missing or does not match the body signed with the configured secret."
        );

    public static IResult Malformed(string detail) =>
        JsonBody.Problem(StatusCodes.Status400BadRequest, "Malformed webhook", detail);

    public static IResult Ignored(string what) => Results.Accepted(value: new { ignored = true, reason = what });

    /// <summary>
    /// The intake rules every outcome obeys, whichever shape it came in: a delivery whose identifiers break them (a
    /// repo that is not owner/name, a sha that is not hex) is refused whole, naming the field, and nothing is stored.
    /// </summary>
    public static IResult? Invalid(IReadOnlyList<Contracts.OutcomeRecorded> outcomes)
    {
        var errors = new ValidationErrors();
        foreach (var (outcome, index) in outcomes.Select((o, i) => (o, i)))
        foreach (var problem in IntakeRules.Problems(outcome))
            errors.Add(outcomes.Count == 1 ? problem.Field : $"[{index}].{problem.Field}", problem.Message);
        return errors.Any ? errors.ToProblem("The delivery has invalid fields") : null;
    }

    private static IResult TooLarge() =>
        JsonBody.Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", "At most 4 MiB.");
}
