using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tokenwise.Contracts;

namespace Tokenwise.ServiceDefaults.Messaging;

/// <summary>A message id derived from the message's content: the same message relayed twice has the same id.</summary>
public static class MessageIds
{
    public static Guid Of(object message) =>
        message switch
        {
            // A batch id is already a hash of the batch's item keys; no need to hash a thousand items again.
            UsageRecordedBatch batch => Hash(Encoding.UTF8.GetBytes(nameof(UsageRecordedBatch) + batch.BatchId)),
            UsageChargedBatch batch => Hash(Encoding.UTF8.GetBytes(nameof(UsageChargedBatch) + batch.BatchId)),
            _ => Hash(JsonSerializer.SerializeToUtf8Bytes(message, message.GetType())),
        };

    private static Guid Hash(byte[] bytes) => new(SHA256.HashData(bytes)[..16]);
}
