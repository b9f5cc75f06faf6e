using Microsoft.Playwright;
using Tokenwise.Client;
using Tokenwise.Client.Apis;
using Tokenwise.Client.Models;
using Tokenwise.Integration.Tests.EndToEnd;
using Tokenwise.Simulator;
using Tokenwise.Testing;

namespace Tokenwise.Integration.Tests.Browser;

/// <summary>
/// The four services with a simulated company's ten days in them (checked against its ground truth first), the
/// console as a process of its own signing people in through a real OpenID Connect provider, and Debian's Chromium
/// driven by Playwright.
/// </summary>
public sealed class ConsoleSystem : IAsyncLifetime
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    public const string Admin = "admin@acme.example",
        Finance = "finance@acme.example",
        NoRole = "visitor@acme.example";

    public static string Manager(int team) => $"manager-{team}@acme.example";

    public CompanySystem Services { get; } = new();
    public Company Company { get; } = new(new CompanyOptions(Seed: 7, Engineers: 12, Teams: 3, Days: 10));
    public GroundTruth Truth { get; private set; } = null!;
    public IdentityProvider Provider { get; private set; } = null!;
    public ServiceProcess Console { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Services.InitializeAsync();
        Truth = GroundTruth.Compute(Company, PriceFile.Load(CompanyChecks.PriceBookFile()));
        await CompanyBudgets.SetAsync(Services.Accounting.Client<IAccountingApi>(retry: RetryPolicy.Default), Truth);
        await new Sender(
            Services.Ingest,
            Company.Options.Seed,
            CompanySystem.GitHubSecret,
            CompanySystem.PagerDutySecret
        ).SendAsync(Company);
        // Every figure settled (and right) before any page is read.
        await CompanyChecks.AssertMatchesAsync(Services, Company, Truth);

        ServiceProcess? console = null;
        Provider = await IdentityProvider.StartAsync(
            new Dictionary<string, string[]>
            {
                [Admin] = ["admin"],
                [Finance] = ["finance"],
                [Manager(1)] = ["manager"],
                [Manager(2)] = ["manager"],
                [Manager(3)] = ["manager"],
                [NoRole] = [],
            },
            () => new Uri(console!.BaseAddress, "/signin-oidc")
        );
        // The provider learns the console's address once it has one; it is asked only after the console starts.
        console = await StartConsoleAsync();
        Console = console;

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                // Debian's Chromium (the scripts install it); Playwright never downloads a browser here.
                ExecutablePath = Environment.GetEnvironmentVariable("TOKENWISE_CHROMIUM") is { Length: > 0 } chromium
                    ? chromium
                    : "/usr/bin/chromium",
                Headless = true,
                Args =
                [
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            }
        );
    }

    /// <summary>
    /// A console process over the services, signing people in through the provider. The fixture starts one; a test
    /// may start another, which shares the first one's sessions through PostgreSQL.
    /// </summary>
    public Task<ServiceProcess> StartConsoleAsync() =>
        ServiceProcess.StartAsync(
            "Console",
            Services.Environment,
            Configuration,
            new Dictionary<string, string?>
            {
                ["Tokenwise:Console:Ingestion"] = Services.Ingestion.BaseAddress.ToString(),
                ["Tokenwise:Console:Accounting"] = Services.Accounting.BaseAddress.ToString(),
                ["Tokenwise:Console:Outcomes"] = Services.Outcomes.BaseAddress.ToString(),
                ["Tokenwise:Console:Alerting"] = Services.Alerting.BaseAddress.ToString(),
                ["Tokenwise:Console:ServiceKey"] = IsolatedEnvironment.BootstrapKey,
                ["Tokenwise:Console:Oidc:Authority"] = Provider.Authority.ToString(),
                ["Tokenwise:Console:Oidc:ClientId"] = IdentityProvider.ClientId,
                ["Tokenwise:Console:Oidc:ClientSecret"] = IdentityProvider.ClientSecret,
                ["Tokenwise:Console:Oidc:RequireHttpsMetadata"] = "false",
            }
        );

    /// <summary>A fresh browser (no cookies) at a width, signed in through the identity provider as this person.</summary>
    public async Task<IPage> SignInAsync(string email, int width = 1280)
    {
        var context = await Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                BaseURL = Console.BaseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 844 : 900 },
            }
        );
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your company account" }).ClickAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(Console.BaseAddress.ToString(), StringComparison.Ordinal));
        return page;
    }

    /// <summary>A client of a service as the console's admin key sees it (everything).</summary>
    public T AsAdmin<T>(ServiceProcess service) => service.Client<T>(retry: RetryPolicy.Default);

    /// <summary>A read key bound to a person (or to no one), as the console issues one for a session.</summary>
    public async Task<string> ReadKeyForAsync(string? user)
    {
        var issued = (
            await AsAdmin<IIngestionApi>(Services.Ingestion)
                .IssueKeyAsync(new KeyRequest("test-reader", ["read"]) { User = user })
        ).Content!;
        // Accounting knows it once the key-change message has arrived.
        await Eventually.Until(
            async () => (await Services.Accounting.Client<IAccountingApi>(issued.Key).ListBudgetsAsync()).StatusCode,
            status => status != System.Net.HttpStatusCode.Unauthorized,
            "Accounting to know the new key"
        );
        return issued.Key;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (Console is not null)
            await Console.DisposeAsync();
        if (Provider is not null)
            await Provider.DisposeAsync();
        await Services.DisposeAsync();
    }
}
