using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Tokenwise.Integration.Tests.Browser;

/// <summary>
/// A real OpenID Connect provider (OpenIddict) for the browser tests: the authorization code flow with PKCE, one
/// confidential client (the console), and a login page where a test types who they are. The people it knows and their
/// roles are given; it puts their email and roles in the identity token, as a company's provider would.
/// </summary>
public sealed class IdentityProvider : IAsyncDisposable
{
    public const string ClientId = "tokenwise-console";
    public const string ClientSecret = "console-secret-for-tests-0123456789";
    private const string LoginCookie = "idp-login";

    private readonly WebApplication _app;

    private IdentityProvider(WebApplication app, Uri authority) => (_app, Authority) = (app, authority);

    public Uri Authority { get; }

    /// <param name="people">Email → roles; anyone else is refused at the login page.</param>
    /// <param name="consoleCallback">The only redirect address the client may use.</param>
    public static async Task<IdentityProvider> StartAsync(
        IReadOnlyDictionary<string, string[]> people,
        Func<Uri> consoleCallback
    )
    {
        var port = FreePort();
        var authority = new Uri($"http://127.0.0.1:{port}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(authority.ToString());
        builder.Logging.ClearProviders();
        builder
            .Services.AddAuthentication(LoginCookie)
            .AddCookie(LoginCookie, options => options.Cookie.Name = LoginCookie);
        builder.Services.AddAuthorization();
        builder
            .Services.AddOpenIddict()
            .AddServer(server =>
            {
                server.SetIssuer(authority);
                server.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.Email, Scopes.Profile, Scopes.Roles);
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                server.DisableAccessTokenEncryption();
                // No database: the client is checked by the two handlers below, codes are self-contained.
                server.EnableDegradedMode();
                server
                    .UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
                server.AddEventHandler<ValidateAuthorizationRequestContext>(handler =>
                    handler.UseInlineHandler(context =>
                    {
                        if (context.ClientId != ClientId)
                            context.Reject(Errors.InvalidClient, "unknown client");
                        else if (context.RedirectUri != consoleCallback().ToString())
                            context.Reject(Errors.InvalidRequest, "unknown redirect_uri");
                        return default;
                    })
                );
                server.AddEventHandler<ValidateTokenRequestContext>(handler =>
                    handler.UseInlineHandler(context =>
                    {
                        if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                            context.Reject(Errors.InvalidClient, "wrong client credentials");
                        return default;
                    })
                );
            });
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet(
            "/connect/authorize",
            async (HttpContext http) =>
            {
                var request = http.GetOpenIddictServerRequest()!;
                var login = await http.AuthenticateAsync(LoginCookie);
                if (!login.Succeeded)
                    return Results.Redirect(
                        "/login?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)
                    );
                var email = login.Principal!.Identity!.Name!;
                var identity = new ClaimsIdentity(
                    OpenIddictServerAspNetCoreDefaults.AuthenticationScheme,
                    Claims.Name,
                    Claims.Role
                );
                identity.AddClaim(new Claim(Claims.Subject, email));
                identity.AddClaim(new Claim(Claims.Email, email));
                identity.AddClaim(new Claim(Claims.Name, email));
                foreach (var role in people[email])
                    identity.AddClaim(new Claim(Claims.Role, role));
                identity.SetScopes(request.GetScopes());
                identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
                return Results.SignIn(
                    new ClaimsPrincipal(identity),
                    authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme
                );
            }
        );
        app.MapPost(
            "/connect/token",
            async (HttpContext http) =>
            {
                var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
                return code.Succeeded
                    ? Results.SignIn(
                        code.Principal!,
                        authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme
                    )
                    : Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }
        );
        app.MapGet(
            "/login",
            (string? returnUrl) =>
                Results.Content(
                    $"""
                    <!DOCTYPE html><html lang="en"><head><title>Company sign-in</title></head><body>
                    <main><h1>Company sign-in</h1>
                    <form method="post" action="/login?returnUrl={WebUtility.HtmlEncode(
                        Uri.EscapeDataString(returnUrl ?? "/")
                    )}">
                    <label>Email <input name="email" autocomplete="username"></label>
                    <button type="submit">Continue</button></form></main></body></html>
                    """,
                    "text/html"
                )
        );
        app.MapPost(
                "/login",
                async (HttpContext http, string? returnUrl) =>
                {
                    var email = http.Request.Form["email"].ToString();
                    if (!people.ContainsKey(email))
                        return Results.Content("<p>Unknown person</p>", "text/html", statusCode: 401);
                    await http.SignInAsync(
                        LoginCookie,
                        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, email)], LoginCookie))
                    );
                    return Results.LocalRedirect(returnUrl is { } url && url.StartsWith('/') ? url : "/");
                }
            )
            .DisableAntiforgery();
        await app.StartAsync();
        return new IdentityProvider(app, authority);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
