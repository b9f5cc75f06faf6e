using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Tokenwise.ServiceDefaults.Problems;

/// <summary>
/// An unreachable database or broker is an outage, not a bug: answer 503 with Retry-After so senders retry the
/// same ids later, instead of a 500 that tells them nothing.
/// </summary>
internal sealed class OutageExceptionHandler(IProblemDetailsService problems, ILogger<OutageExceptionHandler> logger)
    : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(
        HttpContext context,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        if (!IsOutage(exception))
            return false;
        logger.LogWarning(exception, "Dependency unavailable while serving {Path}", context.Request.Path);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return await problems.TryWriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails =
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service temporarily unavailable",
                    Detail =
                        "A dependency (database or message broker) is unreachable. Nothing was stored; retry with the same ids.",
                },
            }
        );
    }

    public static bool IsOutage(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg
                    when pg.SqlState.StartsWith("57P") || pg.SqlState.StartsWith("08") || pg.SqlState == "53300":
                    return true; // shutting down, connection failure, too many connections
                case PostgresException:
                    return false;
                case NpgsqlException or SocketException or TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
