namespace Tokenwise.Outcomes.Attribution;

/// <summary>Why a usage event was attributed to a PR; earlier members win over later ones.</summary>
public enum AttributionRule
{
    /// <summary>The usage names the PR: repo + PR number, the PR's head branch, one of its commits, or a session the PR lists.</summary>
    Explicit = 1,

    /// <summary>Other events of the same session name exactly one PR explicitly.</summary>
    Session = 2,

    /// <summary>The PR's author used it in the same repo (or no repo) since their previous merge, within the window.</summary>
    Window = 3,
}
