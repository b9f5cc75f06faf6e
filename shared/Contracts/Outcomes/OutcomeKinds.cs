namespace Tokenwise.Contracts;

public static class OutcomeKinds
{
    public const string PrMerged = "pr_merged";
    public const string PrClosed = "pr_closed";
    public const string Deployment = "deployment";
    public const string IncidentOpened = "incident_opened";
    public const string IncidentResolved = "incident_resolved";
    public const string Revert = "revert";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        PrMerged,
        PrClosed,
        Deployment,
        IncidentOpened,
        IncidentResolved,
        Revert,
    };
}
