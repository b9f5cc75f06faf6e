using System.Security.Cryptography;
using System.Text;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>Keys look like <c>tw_&lt;id&gt;_&lt;secret&gt;</c>: the id finds the record, the hash of the whole key proves it.</summary>
public static class ApiKeyFormat
{
    public const string Prefix = "tw_";

    public static (string KeyId, string Key) NewKey()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert
            .ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=')
            .Replace('+', '-')
            .Replace('/', '_');
        return (id, $"{Prefix}{id}_{secret}");
    }

    public static string? KeyIdOf(string presented)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal))
            return null;
        var end = presented.IndexOf('_', Prefix.Length);
        return end > Prefix.Length ? presented[Prefix.Length..end] : null;
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static bool Matches(string presented, string expectedHash) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(presented)),
            Encoding.ASCII.GetBytes(expectedHash)
        );
}
