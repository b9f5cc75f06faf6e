using Tokenwise.Client.Models;
using Tokenwise.Console;
using Tokenwise.Console.SigningIn;

namespace Tokenwise.Console.Tests;

public sealed class SignInRolesTests
{
    private static CurrentKey Key(string[] scopes, string? user = null, params string[] teams) =>
        new("k1", "laptop", scopes, user, teams);

    [Fact]
    public void An_admin_key_signs_in_an_admin_whoever_it_names() =>
        Assert.Equal(ConsoleRole.Admin, ConsoleRoles.OfKey(Key(["admin"])));

    [Fact]
    public void A_read_key_bound_to_a_person_or_teams_signs_in_their_manager()
    {
        Assert.Equal(ConsoleRole.Manager, ConsoleRoles.OfKey(Key(["read"], "lead@acme.example")));
        Assert.Equal(ConsoleRole.Manager, ConsoleRoles.OfKey(Key(["read"], null, "team-1")));
    }

    [Fact]
    public void A_read_key_bound_to_no_one_signs_in_a_viewer() =>
        Assert.Equal(ConsoleRole.Viewer, ConsoleRoles.OfKey(Key(["read"])));

    [Fact]
    public void A_key_that_cannot_read_signs_no_one_in()
    {
        Assert.Null(ConsoleRoles.OfKey(Key(["ingest"])));
        Assert.Null(ConsoleRoles.OfKey(Key(["outcomes", "ingest"])));
    }

    [Fact]
    public void The_highest_role_among_the_providers_claim_values_wins()
    {
        var settings = new OidcSettings();
        Assert.Equal(ConsoleRole.Admin, ConsoleRoles.OfClaims(["viewer", "admin"], settings));
        Assert.Equal(ConsoleRole.Manager, ConsoleRoles.OfClaims(["finance", "Manager"], settings));
        Assert.Equal(ConsoleRole.Viewer, ConsoleRoles.OfClaims(["finance"], settings));
        Assert.Null(ConsoleRoles.OfClaims(["engineer"], settings));
        Assert.Null(ConsoleRoles.OfClaims([], settings));
    }

    [Fact]
    public void Group_names_map_to_roles_as_configured()
    {
        var settings = new OidcSettings
        {
            AdminValues = "tokenwise-admins",
            ManagerValues = "eng-managers, directors",
            ViewerValues = "finance-team",
        };
        Assert.Equal(ConsoleRole.Manager, ConsoleRoles.OfClaims(["directors"], settings));
        Assert.Equal(ConsoleRole.Viewer, ConsoleRoles.OfClaims(["finance-team"], settings));
        Assert.Null(ConsoleRoles.OfClaims(["admin"], settings));
    }

    [Fact]
    public void A_console_without_its_admin_key_or_with_half_an_identity_provider_does_not_start()
    {
        Assert.Contains(new ConsoleSettings().Problems(), p => p.Contains("ServiceKey"));
        var half = new ConsoleSettings
        {
            ServiceKey = "k".PadRight(32, 'k'),
            Postgres = "Host=localhost;Database=tokenwise;Username=tokenwise",
        };
        half.Oidc.Authority = "https://login.acme.example";
        Assert.Equal(2, half.Problems().Count());
        half.Oidc.ClientId = "console";
        half.Oidc.ClientSecret = "secret";
        Assert.Empty(half.Problems());
    }

    [Theory]
    [InlineData("", "TOKENWISE_POSTGRES")]
    [InlineData("not a connection string", "TOKENWISE_POSTGRES")]
    [InlineData("Database=tokenwise", "TOKENWISE_POSTGRES")]
    public void A_console_without_a_usable_PostgreSQL_does_not_start(string postgres, string named)
    {
        var settings = new ConsoleSettings { ServiceKey = "k".PadRight(32, 'k'), Postgres = postgres };
        Assert.Contains(named, Assert.Single(settings.Problems()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("t1234_", true)]
    [InlineData("", true)]
    [InlineData("x; DROP SCHEMA y", false)]
    [InlineData("Upper", false)]
    public void The_schema_prefix_may_hold_only_lower_case_letters_digits_and_underscores(string prefix, bool usable)
    {
        var settings = new ConsoleSettings
        {
            ServiceKey = "k".PadRight(32, 'k'),
            Postgres = "Host=localhost;Database=tokenwise",
            SchemaPrefix = prefix,
        };
        Assert.Equal(usable, !settings.Problems().Any());
    }
}
