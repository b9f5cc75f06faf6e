using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Tokenwise.ServiceDefaults;

/// <summary>
/// Tokenwise:ManagementPort: when set, /metrics, /openapi and /docs are served on that port only (on the same host as the
/// service's first URL), and the API and health endpoints on the service's own port(s) only, so a scraper and the
/// API description can be kept off the port that senders and gateways reach.
/// </summary>
public sealed partial record ManagementPort(int Port)
{
    public const string Setting = "Tokenwise:ManagementPort";
    private static readonly string[] Paths = ["/metrics", "/openapi", "/docs"];

    public static ManagementPort? Read(IConfiguration configuration)
    {
        var text = configuration[Setting];
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return int.TryParse(text, out var port) && port is >= 1 and <= 65_535
            ? new ManagementPort(port)
            : throw new InvalidOperationException($"{Setting} must be a port from 1 to 65535; it is '{text}'.");
    }

    /// <summary>The service's URLs and the management URL on the first one's host.</summary>
    public IEnumerable<string> WithUrls(string urls)
    {
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = UrlParts().Match(list[0]);
        if (!first.Success)
            throw new InvalidOperationException(
                $"{Setting} needs the service's URL in scheme://host:port form; it is '{list[0]}'."
            );
        return [.. list, $"{first.Groups["scheme"].Value}://{first.Groups["host"].Value}:{Port}"];
    }

    public bool IsManagementPath(PathString path) => Paths.Any(p => path.StartsWithSegments(p));

    /// <summary>Middleware: each port answers only for its own endpoints; anything else is 404.</summary>
    public Task Separate(HttpContext context, Func<Task> next)
    {
        var onManagementPort = context.Connection.LocalPort == Port;
        if (onManagementPort != IsManagementPath(context.Request.Path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return next();
    }

    [GeneratedRegex(@"^(?<scheme>https?)://(?<host>.+):(?<port>\d+)/?$")]
    private static partial Regex UrlParts();
}
