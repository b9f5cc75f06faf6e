using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.Pages;

/// <summary>
/// What a person sees when a page cannot be shown: a service or the sessions' PostgreSQL away (503, with
/// Retry-After), something they may not see (404, without telling whether it exists), or a page that does not exist.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ProblemModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Detail { get; private set; } = "";

    public void OnGet(int? status) => Explain(status);

    public void OnPost(int? status) => Explain(status);

    private void Explain(int? status)
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (
            failure
            is ServiceFailure { Unavailable: true }
                or HttpRequestException
                or TaskCanceledException
                or Npgsql.NpgsqlException
        )
        {
            Response.StatusCode = 503;
            Response.Headers.RetryAfter = "5";
            (Title, Detail) = (
                "A service is not answering",
                "Tokenwise is catching up or restarting. Try again in a few seconds."
            );
        }
        else if (failure is ServiceFailure || status is 404)
        {
            Response.StatusCode = 404;
            (Title, Detail) = ("Not here", "There is nothing at this address that you may see.");
        }
        else if (status is { } code)
        {
            Response.StatusCode = code;
            (Title, Detail) = ($"Error {code}", "The page could not be shown.");
        }
        else
        {
            Response.StatusCode = 500;
            Detail = "The page could not be shown; the console's log has the details.";
        }
    }
}
