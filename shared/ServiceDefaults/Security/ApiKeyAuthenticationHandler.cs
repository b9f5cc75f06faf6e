using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>Authenticates "Authorization: Bearer &lt;key&gt;" against every registered validator.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IEnumerable<IApiKeyValidator> validators,
    IProblemDetailsService problems
) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string SourceClaim = "tokenwise:source";
    public const string ScopeClaim = "tokenwise:scope";
    public const string KeyClaim = "tokenwise:key";
    public const string UserClaim = "tokenwise:user";
    public const string TeamClaim = "tokenwise:team";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var presented = header["Bearer ".Length..].Trim();
        if (presented.Length == 0)
            return AuthenticateResult.Fail("empty bearer key");

        foreach (var validator in validators)
        {
            if (await validator.ValidateAsync(presented, Context.RequestAborted) is not { } identity)
                continue;
            var claims = new List<Claim>
            {
                new(KeyClaim, identity.KeyId),
                new(SourceClaim, identity.Source),
                new(ClaimTypes.Name, identity.Source),
            };
            claims.AddRange(identity.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
            if (identity.Binding.User is { } user)
                claims.Add(new Claim(UserClaim, user));
            claims.AddRange(identity.Binding.Teams.Select(team => new Claim(TeamClaim, team)));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
        }
        return AuthenticateResult.Fail("unknown or revoked key");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblem(
            StatusCodes.Status401Unauthorized,
            "Missing or invalid API key",
            "Send an API key as 'Authorization: Bearer <key>'."
        );

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(
            StatusCodes.Status403Forbidden,
            "API key lacks the required scope",
            "This endpoint needs a key with another scope (ingest, outcomes, read or admin)."
        );

    private Task WriteProblem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
            Response.Headers.WWWAuthenticate = "Bearer";
        return problems
            .WriteAsync(
                new ProblemDetailsContext
                {
                    HttpContext = Context,
                    ProblemDetails =
                    {
                        Status = status,
                        Title = title,
                        Detail = detail,
                    },
                }
            )
            .AsTask();
    }
}

public static class ApiKeyPrincipalExtensions
{
    /// <summary>The source name of the key that made this request; idempotency keys are scoped by it.</summary>
    public static string Source(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ApiKeyAuthenticationHandler.SourceClaim)
        ?? throw new InvalidOperationException("request is not authenticated with an API key");

    /// <summary>The id of the key that made this request (the bootstrap key's is "bootstrap"): what the audit log names.</summary>
    public static string KeyId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ApiKeyAuthenticationHandler.KeyClaim)
        ?? throw new InvalidOperationException("request is not authenticated with an API key");

    /// <summary>What the key that made this request may do.</summary>
    public static IReadOnlyList<string> KeyScopes(this ClaimsPrincipal principal) =>
        principal
            .FindAll(ApiKeyAuthenticationHandler.ScopeClaim)
            .Select(c => c.Value)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Whom the key that made this request speaks for.</summary>
    public static KeyBinding Binding(this ClaimsPrincipal principal) =>
        new(
            principal.FindFirstValue(ApiKeyAuthenticationHandler.UserClaim),
            principal.FindAll(ApiKeyAuthenticationHandler.TeamClaim).Select(c => c.Value).ToList()
        );
}

internal static class ApiKeySetup
{
    public static void AddTokenwiseApiKeys(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<ControlSigner>();
        services.AddSingleton<Audit.AdminActions>();
        services.AddSingleton<IPeopleDirectory, PeopleTableDirectory>();
        services.AddSingleton<Readers>();
        services.AddSingleton<BootstrapKeyValidator>();
        services.AddSingleton<IApiKeyValidator>(sp => sp.GetRequiredService<BootstrapKeyValidator>());
        services.AddHostedService(sp => sp.GetRequiredService<BootstrapKeyValidator>());
        services.AddSingleton<IApiKeyValidator, StoredKeyValidator>();
        services
            .AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                ApiKeyAuthenticationHandler.SchemeName,
                null
            );
        services.AddAuthorization(options =>
        {
            // An admin key may do everything; the other scopes are exactly what they say.
            foreach (var scope in Scopes.All)
                options.AddPolicy(
                    scope,
                    policy =>
                        policy
                            .RequireAuthenticatedUser()
                            .RequireAssertion(context =>
                                context.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope)
                                || context.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, Scopes.Admin)
                            )
                );
        });
    }
}
