using System.Security.Cryptography;
using System.Text;

namespace Tokenwise.Ingestion.Outcomes.Webhooks;

/// <summary>HMAC-SHA256 of the raw body, hex encoded, compared in constant time.</summary>
public static class WebhookSignature
{
    public static string Compute(ReadOnlySpan<byte> body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static bool Matches(ReadOnlySpan<byte> body, string secret, string? presentedHex)
    {
        if (string.IsNullOrWhiteSpace(presentedHex)) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(body, secret));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(presentedHex.Trim().ToLowerInvariant()));
    }
}
