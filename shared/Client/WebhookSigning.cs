using System.Security.Cryptography;
using System.Text;

namespace Tokenwise.Client;

/// <summary>Signs webhook bodies the way GitHub and PagerDuty do, for senders and tests that replay them.</summary>
public static class WebhookSigning
{
    public static string GitHub(byte[] body, string secret) => "sha256=" + Hex(body, secret);

    public static string PagerDuty(byte[] body, params string[] secrets) =>
        string.Join(",", secrets.Select(s => "v1=" + Hex(body, s)));

    private static string Hex(byte[] body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
