using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Tokenwise.ServiceDefaults.Security;

/// <summary>
/// Signs and checks control messages (keys issued and revoked, the key snapshot, the bootstrap key switched off,
/// breaker changes): an HMAC-SHA256 of the message without its signature, with TOKENWISE_CONTROL_SECRET, which only the
/// services hold. Anyone who can publish to the broker can send such a message; only a service can sign one, so a
/// forged or altered one is refused and logged. Replays of a genuine one change nothing: a revocation is final and a
/// breaker change older than the one held is ignored.
/// </summary>
public sealed class ControlSigner(TokenwiseSettings settings, ILogger<ControlSigner> logger)
{
    private static readonly JsonSerializerOptions Canonical = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(settings.ControlSecret);

    /// <summary>The message, signed. Control message records carry <c>Signature</c> and <c>WithSignature(string?)</c>.</summary>
    public T Sign<T>(T message)
        where T : class => With(message, SignatureOf(message));

    /// <summary>True when the message carries this secret's signature of its content; logs and refuses otherwise.</summary>
    public bool Verify<T>(T message)
        where T : class
    {
        var presented = (string?)typeof(T).GetProperty("Signature")!.GetValue(message);
        var expected = Encoding.ASCII.GetBytes(SignatureOf(message));
        if (
            presented is not null
            && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(presented))
        )
            return true;
        logger.LogWarning(
            "Refused a {MessageType} that is not signed by a Tokenwise service ({Why})",
            typeof(T).Name,
            presented is null ? "no signature" : "wrong signature"
        );
        return false;
    }

    private string SignatureOf<T>(T message)
        where T : class =>
        Convert.ToHexStringLower(
            HMACSHA256.HashData(_secret, JsonSerializer.SerializeToUtf8Bytes(With(message, null), Canonical))
        );

    private static T With<T>(T message, string? signature)
        where T : class =>
        (T)
            (
                typeof(T).GetMethod("WithSignature")
                ?? throw new InvalidOperationException($"{typeof(T).Name} is not a control message")
            ).Invoke(message, [signature])!;
}
