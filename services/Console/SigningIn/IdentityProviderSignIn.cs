using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// Turns the identity provider's answer into a console session: who (the user claim, as the directory names them),
/// which role (the role claim's values), and the key the session reads with. Someone the provider knows but who holds
/// no Tokenwise role is not signed in.
/// </summary>
public sealed class IdentityProviderSignIn(ConsoleSettings settings, ReaderKeys keys, TimeProvider clock)
    : OpenIdConnectEvents
{
    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var oidc = settings.Oidc;
        var principal = context.Principal!;
        var person = principal.FindFirstValue(oidc.UserClaim);
        var role = ConsoleRoles.OfClaims(principal.FindAll(oidc.RoleClaim).Select(c => c.Value), oidc);
        if (string.IsNullOrWhiteSpace(person) || person.Length > 200 || person.Any(char.IsControl))
        {
            context.Fail($"the identity provider sent no usable '{oidc.UserClaim}' claim");
            return;
        }
        if (role is not { } granted)
        {
            context.Fail($"{person} holds no Tokenwise role ('{oidc.RoleClaim}' claim)");
            return;
        }
        // An admin reads with the console's own key; anyone else with a read key of their own, bound to them when they
        // manage people, so that the services show them only what they may see.
        string readerKey = settings.ServiceKey;
        string? issuedId = null;
        DateTimeOffset? issuedAt = null;
        if (granted != ConsoleRole.Admin)
        {
            var issued = await keys.IssueAsync(
                person,
                granted == ConsoleRole.Manager,
                context.HttpContext.RequestAborted
            );
            (readerKey, issuedId, issuedAt) = (issued.Key, issued.Id, clock.GetUtcNow());
        }
        context.Principal = new ClaimsPrincipal(
            SignedInPerson.Identity(
                person,
                granted,
                readerKey,
                issuedId,
                issuedAt,
                CookieAuthenticationDefaults.AuthenticationScheme
            )
        );
    }

    public override Task RemoteFailure(RemoteFailureContext context)
    {
        context.Response.Redirect(
            "/signin?failed=" + Uri.EscapeDataString(context.Failure?.Message ?? "sign-in failed")
        );
        context.HandleResponse();
        return Task.CompletedTask;
    }
}
