using System.Security.Cryptography;
using System.Text;

namespace Tokenwise.Ingestion.OutcomeReports.Webhooks;

/// <summary>HMAC-SHA256 of the raw body, hex encoded, compared in constant time.</summary>
public static class WebhookSignature
{
    /// <summary>
    /// How many presented signatures are compared. A vendor sends one, or two while a secret rotates; more is someone
    /// making us work. The HMAC itself is computed once, whatever the count.
    /// </summary>
    public const int MaxSignatures = 5;

    public static string Compute(ReadOnlySpan<byte> body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Matches(ReadOnlySpan<byte> body, string secret, string? presentedHex) =>
        MatchesAny(body, secret, [presentedHex]);

    /// <summary>Does any of the first <see cref="MaxSignatures"/> presented signatures match the body?</summary>
    public static bool MatchesAny(ReadOnlySpan<byte> body, string secret, IEnumerable<string?> presentedHex)
    {
        var candidates = presentedHex.Where(p => !string.IsNullOrWhiteSpace(p)).Take(MaxSignatures).ToList();
        if (candidates.Count == 0)
            return false;
        var expected = Encoding.ASCII.GetBytes(Compute(body, secret));
        var found = false;
        // Every candidate is compared, so the time taken does not tell which one matched.
        foreach (var candidate in candidates)
            found |= CryptographicOperations.FixedTimeEquals(
                expected,
                Encoding.ASCII.GetBytes(candidate!.Trim().ToLowerInvariant())
            );
        return found;
    }
}
