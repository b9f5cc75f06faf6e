using System.Security.Claims;
using Tokenwise.Client.Models;
using Tokenwise.Console.Reading;

namespace Tokenwise.Console.SigningIn;

/// <summary>
/// The key a session reads with: for a manager a read key bound to them, for a viewer an unbound read key; issued with the console's admin key when they
/// sign in through the identity provider and revoked when the session ends. The services then limit every figure to
/// the people the manager manages, as they do for any bound key; the console adds no rule of its own.
/// </summary>
public sealed class ReaderKeys(ServiceApis apis, ILogger<ReaderKeys> logger)
{
    public const string Source = "console";

    /// <param name="bound">A manager's key speaks for them (and so for whom they manage); a viewer's for no one.</param>
    public async Task<IssuedKey> IssueAsync(string person, bool bound, CancellationToken ct) =>
        (
            await apis.AsConsole<Tokenwise.Client.Apis.IIngestionApi>()
                .IssueKeyAsync(
                    new KeyRequest(Source, ["read"], $"console session of {person}") { User = bound ? person : null },
                    ct
                )
        ).Value("Ingestion");

    /// <summary>Revokes a key a session's sign-in issued.</summary>
    /// <returns>Whether it is revoked now (or was already gone); false when Ingestion could not be reached.</returns>
    public async Task<bool> RevokeAsync(string keyId, CancellationToken ct)
    {
        try
        {
            var answer = await apis.AsConsole<Tokenwise.Client.Apis.IIngestionApi>().RevokeKeyAsync(keyId, ct);
            if (answer.IsSuccessStatusCode || answer.StatusCode == System.Net.HttpStatusCode.NotFound)
                return true;
            logger.LogWarning("Could not revoke session key {KeyId}: {Status}", keyId, (int?)answer.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Could not revoke session key {KeyId}", keyId);
        }
        return false;
    }
}
