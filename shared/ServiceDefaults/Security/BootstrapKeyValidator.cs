using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// TOKENWISE_BOOTSTRAP_KEY, when set at start-up, is an admin key for every service: the way into a fresh
/// installation before any key has been issued. Once an admin switches it off (DELETE /v1/keys/bootstrap) no service
/// accepts it again, whatever its configuration says.
/// </summary>
internal sealed class BootstrapKeyValidator(TokenwiseSettings settings, IDocumentStore store, IMemoryCache cache) : IApiKeyValidator
{
    public const string SourceName = "bootstrap";
    private static readonly ApiKeyIdentity Identity = new(SourceName, SourceName, new HashSet<string>(Scopes.All), KeyBinding.Unbound);
    private readonly byte[]? _expectedHash = settings.BootstrapKey is { } key ? Hash(key) : null;

    public async ValueTask<ApiKeyIdentity?> ValidateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (_expectedHash is null || !CryptographicOperations.FixedTimeEquals(_expectedHash, Hash(presentedKey))) return null;
        var disabled = await cache.GetOrCreateAsync("bootstrap-key-disabled", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = StoredKeyValidator.CacheFor;
            await using var session = store.QuerySession();
            return (await session.LoadAsync<BootstrapKeyState>(BootstrapKeyState.DocumentId, cancellationToken))?.DisabledAt is not null;
        });
        return disabled ? null : Identity;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
