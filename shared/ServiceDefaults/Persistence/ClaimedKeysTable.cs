using Weasel.Postgresql.Tables;

namespace Tokenwise.ServiceDefaults.Persistence;

/// <summary>
/// One row per idempotency key a service has accepted, written in the same transaction as the events it guards,
/// so a key is claimed exactly when its write commits. Created with the service's Marten schema.
/// </summary>
public static class ClaimedKeysTable
{
    public const string Name = "tw_claimed_keys";

    public static Table Create(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<string>("key").AsPrimaryKey();
        table.AddColumn("claimed_at", "timestamptz").DefaultValueByExpression("now()").NotNull();
        return table;
    }
}
