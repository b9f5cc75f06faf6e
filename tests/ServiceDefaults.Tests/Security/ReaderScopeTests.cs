using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.ServiceDefaults.Tests.Security;

/// <summary>Given the directory, when a bound key reads, then these are the people and teams it sees.</summary>
public sealed class ReaderScopeTests
{
    // Morgan manages Alice, who manages Carol; Dana is in search under Pat; Bob is in payments under Pat.
    private static readonly DirectoryPerson[] People =
    [
        new("morgan", "leads", null),
        new("alice", "search", "morgan"),
        new("carol", "search", "alice"),
        new("dana", "search", "pat"),
        new("bob", "payments", "pat"),
        new("pat", "payments", null),
    ];

    [Fact]
    public void An_unbound_key_sees_everyone()
    {
        var scope = ReaderScope.Of(KeyBinding.Unbound, People);
        Assert.True(scope.All);
        Assert.True(scope.MaySeeSubject("org", "acme"));
    }

    [Fact]
    public void A_manager_sees_themselves_and_everyone_below_them_however_far_down()
    {
        var scope = ReaderScope.Of(new KeyBinding("morgan", []), People);
        Assert.Equal(["alice", "carol", "morgan"], scope.Users.Order());
        Assert.False(scope.MaySeeUser("dana"));
        Assert.False(scope.MaySeeSubject("org", "acme"));
    }

    [Fact]
    public void A_manager_sees_a_teams_figures_only_when_everyone_in_it_is_theirs()
    {
        Assert.Equal(["leads"], ReaderScope.Of(new KeyBinding("morgan", []), People).Teams.Order());
        Assert.Equal(["payments"], ReaderScope.Of(new KeyBinding("pat", []), People).Teams.Order());
    }

    [Fact]
    public void A_team_key_sees_the_people_the_directory_puts_in_its_teams_and_their_figures()
    {
        var scope = ReaderScope.Of(new KeyBinding(null, ["payments"]), People);
        Assert.Equal(["bob", "pat"], scope.Users.Order());
        Assert.True(scope.MaySee(user: "someone-not-in-the-directory", team: "payments"));
        Assert.False(scope.MaySee(user: "alice", team: "search"));
    }

    [Fact]
    public void A_cycle_of_managers_in_the_directory_ends_the_walk()
    {
        DirectoryPerson[] loop = [new("a", null, "b"), new("b", null, "a"), new("c", null, "z")];
        Assert.Equal(["a", "b"], ReaderScope.Of(new KeyBinding("a", []), loop).Users.Order());
    }

    [Fact]
    public void A_person_with_no_reports_sees_only_themselves()
    {
        var scope = ReaderScope.Of(new KeyBinding("dana", []), People);
        Assert.Equal(["dana"], scope.Users);
        Assert.Empty(scope.Teams);
    }
}
