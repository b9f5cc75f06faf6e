using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// Sessions kept on the server, in PostgreSQL, so that the cookie carries only an id, the session's reader key never
/// reaches the browser, any console instance serves any session, and a restart signs no one out. Each ticket is
/// stored protected (encrypted and signed with the shared key ring), since it holds the key the person reads with.
/// A session ends when it is unused for the sliding time or at sign-out; the key the console issued for it is then
/// revoked (<see cref="EndExpiredAsync"/>, which keeps a session until its key is revoked, so no key outlives it
/// because a service was away).
/// </summary>
public sealed class SessionTickets(
    ConsoleTables tables,
    IDataProtectionProvider protection,
    ReaderKeys keys,
    ConsoleSettings settings,
    TimeProvider clock,
    ILogger<SessionTickets> logger
) : ITicketStore
{
    /// <summary>How many ended sessions one sweep revokes and removes.</summary>
    public const int EndedPerSweep = 100;

    private readonly IDataProtector protector = protection.CreateProtector("Tokenwise.Console.SessionTickets");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var store = tables.Database.CreateCommand(
            $"INSERT INTO {tables.Sessions} (id, ticket, expires_at, issued_key) VALUES ($1, $2, $3, $4)"
        );
        store.Parameters.Add(new() { Value = id });
        store.Parameters.Add(new() { Value = Protect(ticket) });
        store.Parameters.Add(new() { Value = ExpiresAt(ticket) });
        store.Parameters.Add(
            new() { Value = (object?)ticket.Principal.FindFirst(SignedInPerson.IssuedKeyClaim)?.Value ?? DBNull.Value }
        );
        await store.ExecuteNonQueryAsync();
        return id;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        // A session another instance ended stays ended.
        await using var renew = tables.Database.CreateCommand(
            $"UPDATE {tables.Sessions} SET ticket = $2, expires_at = $3 WHERE id = $1 AND expires_at > $4"
        );
        renew.Parameters.Add(new() { Value = key });
        renew.Parameters.Add(new() { Value = Protect(ticket) });
        renew.Parameters.Add(new() { Value = ExpiresAt(ticket) });
        renew.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await renew.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// As <see cref="RetrieveAsync(string)"/>, but PostgreSQL being away does not fail the request's authentication,
    /// which ASP.NET Core keeps for the whole request, the problem page's re-execution included: the failure is kept
    /// for <see cref="ThrowIfUnreadable"/>, which raises it after authentication, so the person sees the 503 page.
    /// </summary>
    public async Task<AuthenticationTicket?> RetrieveAsync(
        string key,
        HttpContext httpContext,
        CancellationToken cancellationToken
    )
    {
        try
        {
            return await RetrieveAsync(key);
        }
        catch (NpgsqlException failure)
        {
            httpContext.Items[Unreadable] = ExceptionDispatchInfo.Capture(failure);
            return null;
        }
    }

    /// <summary>Raises, once per request, the failure that kept its session from being read.</summary>
    public static Task ThrowIfUnreadable(HttpContext context, RequestDelegate next)
    {
        if (context.Items.Remove(Unreadable, out var failure))
            ((ExceptionDispatchInfo)failure!).Throw();
        return next(context);
    }

    private static readonly object Unreadable = new();

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (key.Length != 64)
            return null;
        await using var read = tables.Database.CreateCommand(
            $"SELECT ticket FROM {tables.Sessions} WHERE id = $1 AND expires_at > $2"
        );
        read.Parameters.Add(new() { Value = key });
        read.Parameters.Add(new() { Value = clock.GetUtcNow() });
        return await read.ExecuteScalarAsync() is byte[] stored ? Unprotect(stored) : null;
    }

    public async Task RemoveAsync(string key)
    {
        await using (
            var end = tables.Database.CreateCommand(
                $"UPDATE {tables.Sessions} SET expires_at = '-infinity' WHERE id = $1"
            )
        )
        {
            end.Parameters.Add(new() { Value = key });
            await end.ExecuteNonQueryAsync();
        }
        await EndExpiredAsync(key, CancellationToken.None);
    }

    /// <summary>
    /// Revokes the keys of sessions that have ended (or only <paramref name="onlyId"/>'s) and removes them. Instances
    /// sweeping together skip each other's rows; a session whose key could not be revoked stays for the next sweep.
    /// </summary>
    /// <returns>How many sessions were removed.</returns>
    public async Task<int> EndExpiredAsync(string? onlyId, CancellationToken ct)
    {
        await using var connection = await tables.Database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var ended = new List<(string Id, string? Key)>();
        await using (
            var find = new NpgsqlCommand(
                $"SELECT id, issued_key FROM {tables.Sessions} WHERE expires_at <= $1"
                    + (onlyId is null ? "" : " AND id = $2")
                    + $" ORDER BY expires_at LIMIT {EndedPerSweep} FOR UPDATE SKIP LOCKED",
                connection,
                transaction
            )
        )
        {
            find.Parameters.Add(new() { Value = clock.GetUtcNow() });
            if (onlyId is not null)
                find.Parameters.Add(new() { Value = onlyId });
            await using var rows = await find.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
                ended.Add((rows.GetString(0), rows.IsDBNull(1) ? null : rows.GetString(1)));
        }
        var removable = new List<string>();
        foreach (var (id, issuedKey) in ended)
            if (issuedKey is null || await keys.RevokeAsync(issuedKey, ct))
                removable.Add(id);
        await using (
            var remove = new NpgsqlCommand($"DELETE FROM {tables.Sessions} WHERE id = ANY($1)", connection, transaction)
        )
        {
            remove.Parameters.Add(new() { Value = removable.ToArray() });
            await remove.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        if (removable.Count < ended.Count)
            logger.LogWarning(
                "{Count} ended sessions keep their keys until the next sweep: Ingestion did not revoke them",
                ended.Count - removable.Count
            );
        return removable.Count;
    }

    private DateTimeOffset ExpiresAt(AuthenticationTicket ticket) =>
        ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().AddMinutes(settings.SessionMinutes);

    private byte[] Protect(AuthenticationTicket ticket) =>
        protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private AuthenticationTicket? Unprotect(byte[] stored)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(protector.Unprotect(stored));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Protected with a key the ring no longer holds: the person signs in again.
            return null;
        }
    }
}
