using System.Security.Cryptography;
using System.Text;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// TOKENWISE_BOOTSTRAP_KEY, when set at start-up, is an admin key for every service: the way into a fresh
/// installation before any key has been issued.
/// </summary>
internal sealed class BootstrapKeyValidator(TokenwiseSettings settings) : IApiKeyValidator
{
    public const string SourceName = "bootstrap";
    private static readonly ApiKeyIdentity Identity = new(SourceName, SourceName, new HashSet<string>(Scopes.All), KeyBinding.Unbound);
    private readonly byte[]? _expectedHash = settings.BootstrapKey is { } key ? Hash(key) : null;

    public ValueTask<ApiKeyIdentity?> ValidateAsync(string presentedKey, CancellationToken cancellationToken) =>
        ValueTask.FromResult(
            _expectedHash is not null && CryptographicOperations.FixedTimeEquals(_expectedHash, Hash(presentedKey))
                ? Identity
                : null);

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
