using System.Net;
using Refit;

namespace Tokenwise.Console.Reading;

/// <summary>Why a page could not be shown: a service is away (503, try again) or the reader may not see it (404).</summary>
public sealed class ServiceFailure(string message, bool unavailable) : Exception(message)
{
    public bool Unavailable { get; } = unavailable;
}

public static class ServiceAnswers
{
    /// <summary>The answer's body, or a <see cref="ServiceFailure"/> that the console turns into a page.</summary>
    public static T Value<T>(this IApiResponse<T> answer, string service) =>
        answer.IsSuccessStatusCode && answer.Content is { } content ? content : throw Failure(answer, service);

    public static void Succeeded(this IApiResponse answer, string service)
    {
        if (!answer.IsSuccessStatusCode)
            throw Failure(answer, service);
    }

    /// <summary>A 404 or 403 means "not there for you": the page says so without telling which.</summary>
    public static bool NotVisible(this IApiResponse answer) =>
        answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden;

    private static ServiceFailure Failure(IApiResponse answer, string service) =>
        answer.NotVisible()
            ? new ServiceFailure("There is nothing here that you may see.", unavailable: false)
            : new ServiceFailure(
                $"{service} answered {(int?)answer.StatusCode}: {(answer.Error as ApiException)?.Content ?? answer.Error?.Message}",
                unavailable: answer.StatusCode
                    is null
                        or >= HttpStatusCode.InternalServerError
                        or HttpStatusCode.TooManyRequests
            );
}
