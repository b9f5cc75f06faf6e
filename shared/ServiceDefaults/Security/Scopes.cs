namespace Tokenwise.ServiceDefaults.Security;

/// <summary>What an API key may do. Each scope is also the name of the authorization policy that demands it.</summary>
public static class Scopes
{
    /// <summary>Usage and activity: gateways, coding agents, export jobs.</summary>
    public const string Ingest = "ingest";

    /// <summary>Merges, deployments, incidents, reverts: CI and delivery systems, never a person's laptop.</summary>
    public const string Outcomes = "outcomes";
    public const string Read = "read";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Ingest, Outcomes, Read, Admin];
}
