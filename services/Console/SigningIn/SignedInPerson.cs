using System.Security.Claims;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// The claims of a console session. The reader key stays on the server: sessions are kept in
/// <see cref="SessionTickets"/>, and the browser's cookie holds only the session's id.
/// </summary>
public static class SignedInPerson
{
    public const string ReaderKeyClaim = "tokenwise:reader-key";
    public const string IssuedKeyClaim = "tokenwise:issued-key";
    public const string IssuedAtClaim = "tokenwise:issued-at";
    public const string TeamClaim = "tokenwise:team";

    /// <summary>Who the person is: the directory's user id, or for a key that speaks for no one, "key:{source}".</summary>
    public static string Person(this ClaimsPrincipal user) => user.Identity?.Name ?? "";

    public static ConsoleRole Role(this ClaimsPrincipal user) =>
        Enum.TryParse<ConsoleRole>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : ConsoleRole.Viewer;

    public static bool MayAct(this ClaimsPrincipal user) => user.Role() is ConsoleRole.Manager or ConsoleRole.Admin;

    /// <summary>Only managers and admins open a person's page; viewers see aggregates.</summary>
    public static bool MaySeePeople(this ClaimsPrincipal user) =>
        user.Role() is ConsoleRole.Manager or ConsoleRole.Admin;

    public static string? ReaderKey(this ClaimsPrincipal user) => user.FindFirstValue(ReaderKeyClaim);

    /// <summary>When the console issued this session's key (services learn of a new key within moments).</summary>
    public static DateTimeOffset? KeyIssuedAt(this ClaimsPrincipal user) =>
        DateTimeOffset.TryParse(user.FindFirstValue(IssuedAtClaim), out var at) ? at : null;

    public static ClaimsIdentity Identity(
        string person,
        ConsoleRole role,
        string readerKey,
        string? issuedKeyId,
        DateTimeOffset? issuedAt,
        string scheme
    )
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, person),
            new(ClaimTypes.Role, role.ToString()),
            new(ReaderKeyClaim, readerKey),
        };
        if (issuedKeyId is not null)
            claims.Add(new Claim(IssuedKeyClaim, issuedKeyId));
        if (issuedAt is { } at)
            claims.Add(new Claim(IssuedAtClaim, at.ToString("O")));
        return new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role);
    }
}
