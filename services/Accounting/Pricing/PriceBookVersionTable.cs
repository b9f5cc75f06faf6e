using Weasel.Postgresql.Tables;

namespace Tokenwise.Accounting.Pricing;

/// <summary>
/// One row holding the price book's version. A price change bumps it (taking the row lock) in the transaction that
/// records the change; a charge reads it "for share" in its own transaction. So a charge either commits before the
/// change — and the re-pricing that follows sees it — or sees the new version and prices with the new book.
/// </summary>
public static class PriceBookVersionTable
{
    public const string Name = "price_book_version";

    public static Table Create(string schema)
    {
        var table = new Table($"{schema}.{Name}");
        table.AddColumn<int>("id").AsPrimaryKey();
        table.AddColumn<long>("version").NotNull();
        return table;
    }

    public static string Seed(string schema) =>
        $"""
            insert into {schema}.{Name} (id, version)
            values (1, 0)
            on conflict do nothing
            """;

    public static string Read(string schema) =>
        $"""
            select version
            from {schema}.{Name}
            where id = 1
            """;

    public static string ReadForShare(string schema) =>
        $"""
            select version
            from {schema}.{Name}
            where id = 1
            for share
            """;

    public static string Bump(string schema) =>
        $"""
            update {schema}.{Name}
            set version = version + 1
            where id = 1
            returning version
            """;
}
