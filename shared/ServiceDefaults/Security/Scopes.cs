namespace Tokenwise.ServiceDefaults.Security;

/// <summary>What an API key may do. Each scope is also the name of the authorization policy that demands it.</summary>
public static class Scopes
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Ingest, Read, Admin];
}
