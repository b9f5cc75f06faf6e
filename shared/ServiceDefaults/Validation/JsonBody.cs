using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tokenwise.ServiceDefaults.Validation;

/// <summary>Reads a JSON request body within a size limit, answering 415 / 413 / 400 problem+json otherwise.</summary>
public static class JsonBody
{
    public const long MaxBytes = 4 * 1024 * 1024;

    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(
        HttpRequest request,
        CancellationToken ct
    )
    {
        if (!request.HasJsonContentType())
            return (
                null,
                Problem(
                    StatusCodes.Status415UnsupportedMediaType,
                    "Unsupported content type",
                    "Send the body as application/json."
                )
            );
        if (request.ContentLength > MaxBytes)
            return (null, TooLarge());
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBytes;
        try
        {
            return (await JsonDocument.ParseAsync(request.Body, cancellationToken: ct), null);
        }
        catch (JsonException e)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed JSON", e.Message));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    /// <summary>
    /// Reads the body and hands its root to <paramref name="handle"/>: a body that cannot be read is answered before the
    /// handler runs (415, 413, 400 problem+json), and the parsed document is released after it.
    /// </summary>
    public static async Task<IResult> HandleAsync(
        HttpRequest request,
        CancellationToken ct,
        Func<JsonElement, Task<IResult>> handle
    )
    {
        var (document, problem) = await ReadAsync(request, ct);
        if (problem is not null)
            return problem;
        using (document)
            return await handle(document!.RootElement);
    }

    /// <summary>As <see cref="HandleAsync"/>, and a body that is not a JSON object is a 400 naming "$".</summary>
    public static async Task<IResult> HandleObjectAsync(
        HttpRequest request,
        CancellationToken ct,
        Func<JsonElement, Task<IResult>> handle
    )
    {
        var (document, problem) = await ReadObjectAsync(request, ct);
        if (problem is not null)
            return problem;
        using (document)
            return await handle(document!.RootElement);
    }

    /// <summary>As <see cref="ReadAsync"/>, and a body that is not a JSON object is a 400 naming "$".</summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadObjectAsync(
        HttpRequest request,
        CancellationToken ct
    )
    {
        var (document, problem) = await ReadAsync(request, ct);
        if (problem is not null || document!.RootElement.ValueKind == JsonValueKind.Object)
            return (document, problem);
        document.Dispose();
        var errors = new ValidationErrors();
        errors.Add("$", "must be a JSON object");
        return (null, errors.ToProblem());
    }

    private static IResult TooLarge() =>
        Problem(
            StatusCodes.Status413PayloadTooLarge,
            "Body too large",
            $"A request body may be at most {MaxBytes / 1024 / 1024} MiB; split the batch."
        );

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}
