using Tokenwise.Client.Models;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// What a signed-in person may see and do. A viewer (finance, leaders) sees aggregates: teams, models, budgets,
/// prices, never one person's figures. A manager sees the people they manage (transitively) and their teams, and acts
/// on their alerts and breakers. An admin sees and acts everywhere.
/// </summary>
public enum ConsoleRole
{
    Viewer,
    Manager,
    Admin,
}

public static class ConsoleRoles
{
    /// <summary>
    /// The role a development sign-in key gives: admin scope → admin; read scope bound to a person or teams → manager
    /// (the services limit it to them); read scope unbound → viewer. Keys that cannot read sign no one in.
    /// </summary>
    public static ConsoleRole? OfKey(CurrentKey key) =>
        key.Scopes.Contains("admin") ? ConsoleRole.Admin
        : !key.Scopes.Contains("read") ? null
        : key.User is not null || key.Teams.Count > 0 ? ConsoleRole.Manager
        : ConsoleRole.Viewer;

    /// <summary>The role an identity provider's claim values give: the highest role any value maps to.</summary>
    public static ConsoleRole? OfClaims(IEnumerable<string> values, OidcSettings settings)
    {
        var held = values.Select(v => v.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Any(string list) =>
            list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(held.Contains);
        return Any(settings.AdminValues) ? ConsoleRole.Admin
            : Any(settings.ManagerValues) ? ConsoleRole.Manager
            : Any(settings.ViewerValues) ? ConsoleRole.Viewer
            : null;
    }
}
