namespace Tokenwise.Ingestion.Keys;

internal static class KeyStreams
{
    public static string For(string keyId) => "key:" + keyId;
}
