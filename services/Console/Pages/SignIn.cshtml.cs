using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Refit;
using Tokenwise.Client.Apis;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Pages;

/// <summary>
/// Sign-in: with the company's identity provider when one is configured; otherwise (development) with an API key,
/// whose scopes decide the role and which stays on the server.
/// </summary>
public sealed class SignInModel(ConsoleSettings settings, IHttpClientFactory http) : PageModel
{
    public bool WithIdentityProvider => settings.Oidc.Configured;
    public string? Failed { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet(string? failed)
    {
        Failed = failed is { Length: <= 300 } ? failed : null;
        return Page();
    }

    /// <summary>Off to the identity provider, and back to the page asked for.</summary>
    public IActionResult OnPostProvider() =>
        WithIdentityProvider
            ? Challenge(
                new AuthenticationProperties { RedirectUri = LocalReturnUrl() },
                OpenIdConnectDefaults.AuthenticationScheme
            )
            : NotFound();

    public async Task<IActionResult> OnPostKeyAsync([FromForm] string? apiKey, CancellationToken ct)
    {
        if (WithIdentityProvider)
            return NotFound();
        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.Length > 200 || apiKey.Any(char.IsControl))
            return Refuse("Enter an API key.");
        var client = http.CreateClient("anyone:Ingestion");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey.Trim());
        var answer = await RestService.For<IIngestionApi>(client).GetCurrentKeyAsync(ct);
        if (answer.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            return Refuse("That key is not known, or it was revoked.");
        if (!answer.IsSuccessStatusCode || answer.Content is not { } key)
            return Refuse("Ingestion is not answering; try again in a moment.", 503);
        if (ConsoleRoles.OfKey(key) is not { } role)
            return Refuse("That key may not read figures (it needs the read or admin scope).");
        var person = key.User ?? $"key:{key.Source}";
        var identity = SignedInPerson.Identity(
            person,
            role,
            apiKey.Trim(),
            issuedKeyId: null,
            issuedAt: null,
            CookieAuthenticationDefaults.AuthenticationScheme
        );
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new(identity));
        return LocalRedirect(LocalReturnUrl());
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return RedirectToPage("/SignIn");
    }

    private string LocalReturnUrl() => ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/";

    private PageResult Refuse(string why, int status = 400)
    {
        Failed = why;
        Response.StatusCode = status;
        return Page();
    }
}
