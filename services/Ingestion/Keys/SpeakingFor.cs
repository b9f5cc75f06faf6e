using Tokenwise.Ingestion.UserDirectory;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Ingestion.Keys;

/// <summary>
/// Whether a key may report a person's usage. An unbound key (a gateway) speaks for anyone. A personal key speaks for
/// its user, a team key for the people the directory puts in its teams; and neither may file usage under a team the
/// person is not in, which would spend that team's budget. Names are compared as the directory resolves them, so a
/// personal key for alice@example.com covers telemetry that names her by her id or an alias.
/// </summary>
public static class SpeakingFor
{
    /// <param name="key">Whom the key speaks for.</param>
    /// <param name="keyUser">The key's user as the directory resolves it (null for a key without one).</param>
    /// <param name="person">The person the event names, resolved, with the directory's team.</param>
    /// <param name="eventTeam">The team the event itself names, if any.</param>
    /// <returns>Null when the key may report it; else the field it may not report, and why.</returns>
    public static (string Field, string Message)? Refusal(
        KeyBinding key,
        ResolvedIdentity? keyUser,
        ResolvedIdentity person,
        string? eventTeam
    )
    {
        if (!key.IsBound)
            return null;
        var isKeyUser = keyUser is not null && Same(keyUser.User, person.User);
        var inKeyTeam = person.Team is not null && key.Teams.Contains(person.Team, StringComparer.OrdinalIgnoreCase);
        if (!isKeyUser && !inKeyTeam)
            return ("user", $"this key speaks for {key} only, not for {person.User}");
        if (
            eventTeam is not null
            && !(person.Team is not null && Same(eventTeam, person.Team))
            && !key.Teams.Contains(eventTeam, StringComparer.OrdinalIgnoreCase)
        )
            return (
                "team",
                $"this key may not file usage under team {eventTeam}: the directory puts {person.User} in "
                    + (person.Team ?? "no team")
            );
        return null;
    }

    private static bool Same(string a, string b) => DirectoryEntry.Normalize(a) == DirectoryEntry.Normalize(b);
}
