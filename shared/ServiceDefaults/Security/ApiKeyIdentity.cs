namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// Who presented a key: its id (what the audit log names), its source name (which scopes idempotency keys), its
/// scopes (what it may do) and whom it speaks for (<see cref="KeyBinding"/>).
/// </summary>
public sealed record ApiKeyIdentity(string KeyId, string Source, IReadOnlySet<string> Scopes, KeyBinding Binding);

/// <summary>
/// Whom a key speaks for. Unbound (a gateway, an export job, an admin): anyone. Bound to a user (a personal key on a
/// laptop): that user; for reading, that user and the people they manage, followed down the directory. Bound to
/// teams: the people of those teams. Both: either.
/// </summary>
public sealed record KeyBinding(string? User, IReadOnlyList<string> Teams)
{
    public static readonly KeyBinding Unbound = new(null, []);

    public bool IsBound => User is not null || Teams.Count > 0;

    public override string ToString() =>
        !IsBound
            ? "anyone"
            : string.Join(
                " and ",
                new[] { User, Teams.Count > 0 ? "teams " + string.Join(", ", Teams) : null }.OfType<string>()
            );
}
