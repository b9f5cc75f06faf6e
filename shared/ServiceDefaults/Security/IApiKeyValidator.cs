namespace Tokenwise.ServiceDefaults.Security;

/// <summary>Turns a presented bearer key into an identity, or null when the key is unknown or revoked.</summary>
public interface IApiKeyValidator
{
    ValueTask<ApiKeyIdentity?> ValidateAsync(string presentedKey, CancellationToken cancellationToken);
}
