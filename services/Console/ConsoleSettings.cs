namespace Tokenwise.Console;

/// <summary>
/// Where the four services are, the console's own key for them, and the identity provider (absent: development
/// sign-in with an API key). Read from configuration section Tokenwise:Console (environment: Tokenwise__Console__…).
/// </summary>
public sealed class ConsoleSettings
{
    public const string Section = "Tokenwise:Console";

    public Uri Ingestion { get; set; } = new("http://localhost:5101");
    public Uri Accounting { get; set; } = new("http://localhost:5102");
    public Uri Outcomes { get; set; } = new("http://localhost:5103");
    public Uri Alerting { get; set; } = new("http://localhost:5104");

    /// <summary>An admin key: it issues readers' keys and carries out the actions people take (recorded as them).</summary>
    public string ServiceKey { get; set; } = "";

    public OidcSettings Oidc { get; set; } = new();

    /// <summary>
    /// The PostgreSQL the services use (TOKENWISE_POSTGRES, as for them): the console keeps its sessions and its
    /// data-protection keys there, in a schema of its own.
    /// </summary>
    public string Postgres { get; set; } = "";

    /// <summary>Tokenwise:SchemaPrefix, as for the services (tests isolate themselves with it).</summary>
    public string SchemaPrefix { get; set; } = "";

    /// <summary>How long a signed-in session lasts without use.</summary>
    public int SessionMinutes { get; set; } = 480;

    public IEnumerable<string> Problems()
    {
        if (ServiceKey.Length is < 16 or > 200)
            yield return "Tokenwise:Console:ServiceKey (or TOKENWISE_CONSOLE_KEY) must hold an admin API key";
        foreach (
            var (name, uri) in new[]
            {
                ("Ingestion", Ingestion),
                ("Accounting", Accounting),
                ("Outcomes", Outcomes),
                ("Alerting", Alerting),
            }
        )
            if (!uri.IsAbsoluteUri || uri.Scheme is not ("http" or "https"))
                yield return $"Tokenwise:Console:{name} must be an http(s) address";
        if (Postgres.Length is 0 or > 2000 || !ParsesAsConnectionString(Postgres))
            yield return "TOKENWISE_POSTGRES (or Tokenwise:Console:Postgres) must hold a PostgreSQL connection string";
        if (!System.Text.RegularExpressions.Regex.IsMatch(SchemaPrefix, "^[a-z0-9_]{0,30}$"))
            yield return "Tokenwise:SchemaPrefix may hold only up to 30 of a-z, 0-9 and _";
        foreach (var problem in Oidc.Problems())
            yield return problem;
        if (SessionMinutes is < 5 or > 7 * 24 * 60)
            yield return "Tokenwise:Console:SessionMinutes must be between 5 and 10080";
    }

    private static bool ParsesAsConnectionString(string text)
    {
        try
        {
            return new Npgsql.NpgsqlConnectionStringBuilder(text).Host is { Length: > 0 };
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>
/// The company's OpenID Connect provider. Roles come from <see cref="RoleClaim"/> (a role or group claim); each of
/// the three lists names the claim values that give that role (the first match in admin, manager, viewer order wins).
/// </summary>
public sealed class OidcSettings
{
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim that names the person as the directory does (its user id: usually the email).</summary>
    public string UserClaim { get; set; } = "email";

    public string AdminValues { get; set; } = "admin";
    public string ManagerValues { get; set; } = "manager";
    public string ViewerValues { get; set; } = "viewer,finance";

    /// <summary>Only for a provider on this machine (tests, development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Configured => !string.IsNullOrWhiteSpace(Authority);

    public IEnumerable<string> Problems()
    {
        if (!Configured)
            yield break;
        if (
            !Uri.TryCreate(Authority, UriKind.Absolute, out var authority)
            || authority.Scheme is not ("http" or "https")
        )
            yield return "Tokenwise:Console:Oidc:Authority must be an http(s) address";
        if (string.IsNullOrWhiteSpace(ClientId))
            yield return "Tokenwise:Console:Oidc:ClientId is required with an authority";
        if (string.IsNullOrWhiteSpace(ClientSecret))
            yield return "Tokenwise:Console:Oidc:ClientSecret is required with an authority";
    }
}
