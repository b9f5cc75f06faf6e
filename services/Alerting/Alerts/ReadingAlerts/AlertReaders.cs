using Marten;
using Marten.Linq.MatchesSql;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Alerting.Alerts.ReadingAlerts;

/// <summary>
/// Which alerts a limited reader sees: those about a person or team within their limits, and a runaway session's
/// when the session's user is. Budgets of the org, models and the pipeline are for unbound readers alone.
/// </summary>
internal static class AlertReaders
{
    public const string SessionSubject = "session";

    /// <summary>The link a session alert carries to the person whose session it is.</summary>
    public const string UserLink = "user";

    public static bool MaySee(ReaderScope reader, Alert alert) =>
        reader.MaySeeSubject(alert.Scope.Type, alert.Scope.Id)
        || (
            alert.Scope.Type == SessionSubject
            && alert.Links?.GetValueOrDefault(UserLink) is { } user
            && reader.MaySeeUser(user)
        );

    /// <summary>The same rule as a filter Marten runs in PostgreSQL, so the newest 500 are the newest the reader may see.</summary>
    public static IQueryable<Alert> Within(this IQueryable<Alert> alerts, ReaderScope reader)
    {
        if (reader.All)
            return alerts;
        const string type = $"data -> '{nameof(Alert.Scope)}' ->> '{nameof(AlertScope.Type)}'";
        const string id = $"data -> '{nameof(Alert.Scope)}' ->> '{nameof(AlertScope.Id)}'";
        const string linkedUser = $"data -> '{nameof(Alert.Links)}' ->> '{UserLink}'";
        var users = reader.Users.ToArray();
        var teams = reader.Teams.ToArray();
        return alerts.Where(a =>
            a.MatchesSql(
                $"({type} = ? and {id} = any(?)) or ({type} = ? and {id} = any(?)) or ({type} = ? and {linkedUser} = any(?))",
                ReaderScope.UserSubject,
                users,
                ReaderScope.TeamSubject,
                teams,
                SessionSubject,
                users
            )
        );
    }
}
