using System.Security.Cryptography;
using System.Text;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>A batch's identity derived from what it holds, so writing or relaying the same items gives the same id.</summary>
public static class BatchIds
{
    public static string Of(IEnumerable<string> itemKeys) =>
        Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', itemKeys.Order(StringComparer.Ordinal))))
        )[..32];
}
