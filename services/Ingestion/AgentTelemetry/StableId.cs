using System.Security.Cryptography;
using System.Text;

namespace Tokenwise.Ingestion.AgentTelemetry;

/// <summary>A deterministic id from the parts that identify a telemetry record, so a re-export dedupes.</summary>
internal static class StableId
{
    public static string Of(params string?[] parts) =>
        "h-"
        + Convert.ToHexStringLower(
            SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts.Select(p => p ?? ""))))
        )[..32];
}
