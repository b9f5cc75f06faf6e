using Tokenwise.Client.Models;
using Tokenwise.ServiceDefaults.Security;

namespace Tokenwise.Accounting.Adoption;

/// <summary>One person's use of AI in one period: the team their usage was filed under and the tools they used.</summary>
public sealed record PeriodUse(string User, string UsageTeam, string Period, IReadOnlySet<string> Tools);

/// <summary>
/// The adoption rules, pure. A person counts in the group the directory puts them in (their team), else the team
/// their usage names, else none (""); grouped by org, everyone is in one group. A group's members are the directory's
/// people in it and anyone else who used AI under it in the range. Active means at least one request in the period.
/// A new adopter's first request ever falls in the period. A usage with no tool counts as tool "other".
/// </summary>
public static class AdoptionFigures
{
    public const string ByTeam = "team";
    public const string ByOrg = "org";
    public const string OrgGroup = "org";
    public const string OtherTool = "other";

    public static string GroupOf(
        string groupBy,
        string user,
        string usageTeam,
        IReadOnlyDictionary<string, DirectoryPerson> directory
    ) =>
        groupBy == ByOrg ? OrgGroup
        : directory.TryGetValue(user, out var person) && person.Team is { Length: > 0 } team ? team
        : usageTeam;

    /// <param name="uses">Each person's use per period in the range.</param>
    /// <param name="firstUse">Each person who ever used AI: the period of their first request.</param>
    /// <param name="people">The directory.</param>
    public static (IReadOnlyList<AdoptionRow> Rows, IReadOnlyList<AdoptionGroup> Groups) Compute(
        string groupBy,
        IReadOnlyList<PeriodUse> uses,
        IReadOnlyDictionary<string, string> firstUse,
        IReadOnlyList<DirectoryPerson> people
    )
    {
        var directory = people.ToDictionary(p => p.User, StringComparer.Ordinal);
        string Group(string user, string usageTeam) => GroupOf(groupBy, user, usageTeam, directory);

        var members = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void AddMember(string group, string user)
        {
            if (!members.TryGetValue(group, out var set))
                members[group] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(user);
        }
        foreach (var person in people)
            AddMember(Group(person.User, ""), person.User);
        var grouped = uses.Select(u => (Group: Group(u.User, u.UsageTeam), Use: u)).ToList();
        foreach (var (group, use) in grouped)
            AddMember(group, use.User);

        var rows = grouped
            .GroupBy(g => (g.Group, g.Use.Period))
            .OrderBy(g => g.Key.Period, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Group, StringComparer.Ordinal)
            .Select(g =>
            {
                var active = g.Select(x => x.Use.User).ToHashSet(StringComparer.Ordinal);
                var tools = g.SelectMany(x => x.Use.Tools.Select(t => (Tool: t.Length > 0 ? t : OtherTool, x.Use.User)))
                    .Distinct()
                    .GroupBy(t => t.Tool, StringComparer.Ordinal)
                    .OrderBy(t => t.Key, StringComparer.Ordinal)
                    .ToDictionary(t => t.Key, t => t.Count(), StringComparer.Ordinal);
                var newAdopters = active.Count(u => firstUse.TryGetValue(u, out var first) && first == g.Key.Period);
                var count = members[g.Key.Group].Count;
                return new AdoptionRow(
                    g.Key.Group,
                    g.Key.Period,
                    active.Count,
                    count,
                    Share(active.Count, count),
                    newAdopters,
                    tools
                );
            })
            .ToList();

        var periods = uses.Select(u => u.Period).ToHashSet(StringComparer.Ordinal);
        var groups = members
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m =>
            {
                var active = grouped
                    .Where(g => g.Group == m.Key)
                    .Select(g => g.Use.User)
                    .ToHashSet(StringComparer.Ordinal);
                var firstUses = active
                    .Where(u => firstUse.TryGetValue(u, out var first) && periods.Contains(first))
                    .Select(u => new FirstUse(u, firstUse[u]))
                    .OrderBy(f => f.Period, StringComparer.Ordinal)
                    .ThenBy(f => f.User, StringComparer.Ordinal)
                    .ToList();
                var neverUsed = m.Value.Where(u => !firstUse.ContainsKey(u)).Order(StringComparer.Ordinal).ToList();
                return new AdoptionGroup(
                    m.Key,
                    m.Value.Count,
                    active.Count,
                    Share(active.Count, m.Value.Count),
                    firstUses,
                    neverUsed
                );
            })
            .ToList();
        return (rows, groups);
    }

    /// <summary>Part of a whole in percent, to one place; 0 of nobody is 0.</summary>
    public static decimal Share(int part, int whole) => whole == 0 ? 0 : Math.Round(100m * part / whole, 1);
}
