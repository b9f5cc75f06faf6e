using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// Sessions kept on the server, so that the cookie carries only an id and the session's reader key never reaches
/// the browser. A session ends when it is unused for the sliding time, at sign-out, or when the console restarts
/// (people then sign in again); a key the console issued for it is revoked when it ends.
/// </summary>
public sealed class SessionTickets(IMemoryCache cache, ReaderKeys keys, ConsoleSettings settings) : ITicketStore
{
    private const string Prefix = "session:";

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Put(id, ticket);
        return Task.FromResult(id);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        Put(key, ticket);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(cache.TryGetValue<AuthenticationTicket>(Prefix + key, out var ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        cache.Remove(Prefix + key);
        return Task.CompletedTask;
    }

    private void Put(string id, AuthenticationTicket ticket)
    {
        var options = new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(settings.SessionMinutes) };
        options.RegisterPostEvictionCallback(
            (_, value, reason, _) =>
            {
                // Replaced means renewed: the session goes on with the same key.
                if (reason != EvictionReason.Replaced && value is AuthenticationTicket ended)
                    keys.RevokeInBackground(ended.Principal);
            }
        );
        cache.Set(Prefix + id, ticket, options);
    }

    public static void Use(CookieAuthenticationOptions options, IServiceProvider services) =>
        options.SessionStore = services.GetRequiredService<SessionTickets>();
}
