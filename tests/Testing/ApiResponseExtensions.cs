using Refit;

namespace Tokenwise.Testing;

public static class ApiResponseExtensions
{
    /// <summary>The body of an error response (problem+json), or "" when there is none.</summary>
    public static string ErrorBody(this IApiResponse response) => (response.Error as ApiException)?.Content ?? "";

    public static string? ErrorMediaType(this IApiResponse response) =>
        (response.Error as ApiException)?.ContentHeaders?.ContentType?.MediaType;
}
