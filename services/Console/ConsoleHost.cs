using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;
using Tokenwise.Client;
using Tokenwise.Console.Reading;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console;

/// <summary>
/// Builds the console: server-rendered pages over the four services' APIs, read with the signed-in person's key.
/// Program.cs runs it.
/// </summary>
public static class ConsoleHost
{
    public const int DefaultPort = 5100;
    public const string People = "people",
        Admins = "admins";

    /// <param name="replace">Registrations that replace the console's own (tests: a clock that can be moved).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? replace = null)
    {
        var builder = WebApplication.CreateBuilder(
            new WebApplicationOptions
            {
                Args = args,
                // The pages are found in this assembly, whichever process hosts it (a test's host too).
                ApplicationName = typeof(ConsoleHost).Assembly.GetName().Name,
                // Run from anywhere (./run.sh runs the built assembly from the repository root).
                ContentRootPath = AppContext.BaseDirectory,
                WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            }
        );
        if (
            string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"])
            && string.IsNullOrEmpty(builder.Configuration["urls"])
        )
            builder.WebHost.UseUrls($"http://localhost:{DefaultPort}");

        var settings = new ConsoleSettings();
        builder.Configuration.GetSection(ConsoleSettings.Section).Bind(settings);
        if (settings.ServiceKey.Length == 0)
            settings.ServiceKey = builder.Configuration["TOKENWISE_CONSOLE_KEY"] ?? "";
        if (settings.Postgres.Length == 0)
            settings.Postgres =
                builder.Configuration["TOKENWISE_POSTGRES"]
                ?? builder.Configuration.GetConnectionString("Postgres")
                ?? "";
        settings.SchemaPrefix = builder.Configuration["Tokenwise:SchemaPrefix"] ?? "";
        if (settings.Problems().ToList() is { Count: > 0 } problems)
            throw new InvalidOperationException(
                "The console's configuration is not usable: " + string.Join("; ", problems)
            );
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddMemoryCache();

        AddServiceClients(builder.Services, settings);
        AddSignIn(builder.Services, settings);

        builder.Services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/SignIn");
            pages.Conventions.AllowAnonymousToPage("/Problem");
            pages.Conventions.AllowAnonymousToPage("/Denied");
            pages.Conventions.AuthorizeFolder("/People", People);
            pages.Conventions.AuthorizeFolder("/Review", People);
            pages.Conventions.AuthorizeFolder("/Pipeline", Admins);
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "tokenwise.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        builder.Services.AddHealthChecks();
        // A LiteLLM price map is the largest thing anyone sends the console.
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form =>
            form.MultipartBodyLengthLimit = Pages.Prices.IndexModel.MaxImportBytes + 64 * 1024
        );
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxRequestBodySize = Pages.Prices.IndexModel.MaxImportBytes + 128 * 1024
        );

        replace?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseExceptionHandler("/Problem");
        app.UseStatusCodePagesWithReExecute("/Problem", "?status={0}");
        app.Use(
            (context, next) =>
            {
                // Everything the pages use is served from here: no CDN, no inline script, no framing.
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "frame-ancestors 'none'; form-action 'self' "
                    + (settings.Oidc.Authority ?? "");
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return next();
            }
        );
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.Use(SessionTickets.ThrowIfUnreadable);
        app.UseAuthorization();
        app.MapHealthChecks("/health/live").AllowAnonymous();
        app.MapHealthChecks("/health/ready").AllowAnonymous();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// Before serving: the console's tables, and a data-protection key every instance shares (created once, under
    /// the tables' lock, so that instances starting together do not each make their own).
    /// </summary>
    public static Task PrepareAsync(WebApplication app, CancellationToken ct = default)
    {
        var keys = app.Services.GetRequiredService<IKeyManager>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        return app
            .Services.GetRequiredService<ConsoleTables>()
            .CreateAsync(
                () =>
                {
                    var now = clock.GetUtcNow();
                    if (
                        !keys.GetAllKeys()
                            .Any(key =>
                                !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now.AddDays(2)
                            )
                    )
                        keys.CreateNewKey(now, now.AddDays(90));
                },
                ct
            );
    }

    private static void AddServiceClients(IServiceCollection services, ConsoleSettings settings)
    {
        services.AddTransient<ReaderKeyHandler>();
        services.AddSingleton<ServiceApis>();
        foreach (
            var (name, address) in new[]
            {
                ("Ingestion", settings.Ingestion),
                ("Accounting", settings.Accounting),
                ("Outcomes", settings.Outcomes),
                ("Alerting", settings.Alerting),
            }
        )
        {
            // A service that is restarting answers 503 with Retry-After; a page waits for it a little, then says so.
            var retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
            services
                .AddHttpClient(
                    $"{ServiceApis.Reader}:{name}",
                    http =>
                    {
                        http.BaseAddress = address;
                        http.Timeout = TimeSpan.FromSeconds(30);
                    }
                )
                .AddHttpMessageHandler(() => new RetryHandler(retry))
                .AddHttpMessageHandler<ReaderKeyHandler>();
            services
                .AddHttpClient(
                    $"{ServiceApis.Console}:{name}",
                    http =>
                    {
                        http.BaseAddress = address;
                        http.Timeout = TimeSpan.FromSeconds(30);
                        http.DefaultRequestHeaders.Authorization = new("Bearer", settings.ServiceKey);
                    }
                )
                .AddHttpMessageHandler(() => new RetryHandler(retry));
            services.AddHttpClient(
                $"anyone:{name}",
                http =>
                {
                    http.BaseAddress = address;
                    http.Timeout = TimeSpan.FromSeconds(30);
                }
            );
        }
    }

    private static void AddSignIn(IServiceCollection services, ConsoleSettings settings)
    {
        services.AddSingleton<ReaderKeys>();
        services.AddSingleton(_ => NpgsqlDataSource.Create(settings.Postgres));
        services.AddSingleton<ConsoleTables>();
        services.AddSingleton<StoredKeys>();
        services.AddDataProtection().SetApplicationName("Tokenwise.Console");
        services
            .AddOptions<KeyManagementOptions>()
            .Configure<StoredKeys>((options, stored) => options.XmlRepository = stored);
        services.AddSingleton<SessionTickets>();
        services.AddHostedService<EndedSessionsSweep>();
        services.AddSingleton<IdentityProviderSignIn>();
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        });
        authentication.AddCookie(options =>
        {
            options.Cookie.Name = "tokenwise.session";
            options.Cookie.HttpOnly = true;
            // Lax: the identity provider's redirect back is a cross-site navigation that must carry the session.
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromMinutes(settings.SessionMinutes);
            options.LoginPath = "/signin";
            options.AccessDeniedPath = "/denied";
            options.ReturnUrlParameter = "returnUrl";
        });
        services
            .AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionTickets>((options, tickets) => options.SessionStore = tickets);
        if (settings.Oidc.Configured)
            authentication.AddOpenIdConnect(
                OpenIdConnectDefaults.AuthenticationScheme,
                options =>
                {
                    var oidc = settings.Oidc;
                    options.Authority = oidc.Authority;
                    options.ClientId = oidc.ClientId;
                    options.ClientSecret = oidc.ClientSecret;
                    options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                    options.ResponseType = "code";
                    options.UsePkce = true;
                    options.MapInboundClaims = false;
                    options.SaveTokens = false;
                    options.Scope.Clear();
                    foreach (var scope in new[] { "openid", "profile", "email", "roles" })
                        options.Scope.Add(scope);
                    options.CallbackPath = "/signin-oidc";
                    options.EventsType = typeof(IdentityProviderSignIn);
                }
            );
        services.AddAuthorization(options =>
        {
            options.AddPolicy(
                People,
                policy => policy.RequireRole(nameof(ConsoleRole.Manager), nameof(ConsoleRole.Admin))
            );
            options.AddPolicy(Admins, policy => policy.RequireRole(nameof(ConsoleRole.Admin)));
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
        });
    }
}
