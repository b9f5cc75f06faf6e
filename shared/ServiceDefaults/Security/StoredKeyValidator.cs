using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// Checks issued keys against this service's copy of the key list. A lookup is cached for a few seconds so a busy
/// sender does not cost a query per request; a revocation therefore takes effect within that time.
/// </summary>
internal sealed class StoredKeyValidator(IDocumentStore store, IMemoryCache cache) : IApiKeyValidator
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    public async ValueTask<ApiKeyIdentity?> ValidateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (ApiKeyFormat.KeyIdOf(presentedKey) is not { } keyId)
            return null;
        var known = await cache.GetOrCreateAsync(
            "api-key:" + keyId,
            async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = CacheFor;
                await using var session = store.QuerySession();
                return await session.LoadAsync<KnownApiKey>(keyId, cancellationToken);
            }
        );
        return known is { Usable: true } && ApiKeyFormat.Matches(presentedKey, known.KeyHash)
            ? new ApiKeyIdentity(
                known.Id,
                known.Source,
                known.Scopes.ToHashSet(),
                new KeyBinding(known.User, known.Teams)
            )
            : null;
    }
}
