using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// TOKENWISE_BOOTSTRAP_KEY, when set at start-up, is an admin key for every service: the way into a fresh
/// installation before any key has been issued. Once an admin switches it off (DELETE /v1/keys/bootstrap) no service
/// accepts it again, whatever its configuration says.
/// </summary>
/// <remarks>
/// Switching off is one way, so once this service has seen it switched off it never asks again. While PostgreSQL
/// cannot answer, the last answer it gave stands: an operator can still read the error queues during an outage.
/// </remarks>
internal sealed class BootstrapKeyValidator(TokenwiseSettings settings, IDocumentStore store, IMemoryCache cache)
    : IApiKeyValidator,
        IHostedService
{
    public const string SourceName = "bootstrap";
    private static readonly ApiKeyIdentity Identity = new(
        SourceName,
        SourceName,
        new HashSet<string>(Scopes.All),
        KeyBinding.Unbound
    );
    private readonly byte[]? _expectedHash = settings.BootstrapKey is { } key ? Hash(key) : null;
    private volatile StrongBox<bool>? _lastKnownDisabled;

    public async ValueTask<ApiKeyIdentity?> ValidateAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (_expectedHash is null || !CryptographicOperations.FixedTimeEquals(_expectedHash, Hash(presentedKey)))
            return null;
        return await IsDisabledAsync(cancellationToken) ? null : Identity;
    }

    private async Task<bool> IsDisabledAsync(CancellationToken cancellationToken)
    {
        if (_lastKnownDisabled is { Value: true })
            return true;
        try
        {
            return await cache.GetOrCreateAsync(
                "bootstrap-key-disabled",
                async entry =>
                {
                    entry.AbsoluteExpirationRelativeToNow = StoredKeyValidator.CacheFor;
                    await using var session = store.QuerySession();
                    var disabled =
                        (
                            await session.LoadAsync<BootstrapKeyState>(BootstrapKeyState.DocumentId, cancellationToken)
                        )?.DisabledAt
                        is not null;
                    _lastKnownDisabled = new StrongBox<bool>(disabled);
                    return disabled;
                }
            );
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && _lastKnownDisabled is { } known)
        {
            return known.Value;
        }
    }

    /// <summary>Learns the switch's state at start-up, so an outage that begins before the first request is covered.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_expectedHash is null)
            return;
        try
        {
            await IsDisabledAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        { /* the first request asks again */
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
