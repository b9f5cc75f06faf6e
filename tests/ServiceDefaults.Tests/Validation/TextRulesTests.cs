using System.Text.Json;
using Tokenwise.ServiceDefaults.Validation;

namespace Tokenwise.ServiceDefaults.Tests.Validation;

public sealed class TextRulesTests
{
    [Theory]
    [InlineData("a\u0000b", "control characters (U+0000)")]
    [InlineData("tab\there", "control characters (U+0009)")]
    [InlineData("line\nbreak", "control characters (U+000A)")]
    [InlineData("del\u007f", "control characters (U+007F)")]
    [InlineData("evil\u202Egnp.exe", "bidirectional formatting characters (U+202E)")]
    public void Text_with_characters_that_break_storage_or_spoof_a_name_is_refused(string text, string reason)
    {
        Assert.Contains(reason, TextRules.Problem(text));
    }

    [Fact]
    public void Half_a_surrogate_pair_is_not_text()
    {
        Assert.Contains("lone surrogate", TextRules.Problem("lone" + (char)0xD800));
        Assert.Contains("lone surrogate", TextRules.Problem((char)0xDC00 + "first"));
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("Zoë Müller")]
    [InlineData("チーム")]
    [InlineData("emoji 👩‍💻 with a joiner")]
    public void Ordinary_names_in_any_script_are_accepted(string text) => Assert.Null(TextRules.Problem(text));

    [Fact]
    public void The_cap_counts_UTF8_bytes_which_is_what_an_index_entry_holds()
    {
        Assert.Null(TextRules.Problem(new string('a', 200)));
        Assert.Contains("at most 200 bytes", TextRules.Problem(new string('a', 201)));
        // 67 characters of three bytes each: 201 bytes.
        Assert.Contains("at most 200 bytes", TextRules.Problem(new string('チ', 67)));
        Assert.Null(TextRules.Problem(new string('チ', 66)));
    }

    [Fact]
    public void A_JSON_string_escaping_half_a_surrogate_pair_is_a_field_error_not_a_crash()
    {
        using var document = JsonDocument.Parse("""{"user":"\ud800x","tags":{"\udc00":"v"},"aliases":["\ud800"]}""");
        var errors = new ValidationErrors();
        var fields = new JsonFields(document.RootElement, "", errors);

        Assert.Null(fields.Text("user"));
        Assert.Empty(fields.StringMap("tags", 10)!);
        Assert.Null(fields.TextList("aliases", 10));
        Assert.Equal(["aliases", "tags.(key)", "user"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void Counts_and_money_above_their_bound_are_refused_with_the_bound()
    {
        using var document = JsonDocument.Parse("""{"tokens":5000000000000000000,"cost":1e30,"ok":7}""");
        var errors = new ValidationErrors();
        var fields = new JsonFields(document.RootElement, "[3].", errors);

        Assert.Equal(0, fields.Count("tokens", 100_000_000));
        Assert.Null(fields.Money("cost", 100_000m));
        Assert.Equal(7, fields.Count("ok", 100_000_000));
        var found = errors.ToDictionary();
        Assert.Contains("at most 100,000,000", found["[3].tokens"].Single());
        Assert.Contains("at most 100,000", found["[3].cost"].Single());
    }

    [Fact]
    public void A_batch_of_thousands_of_bad_items_lists_the_first_errors_and_counts_the_rest()
    {
        var errors = new ValidationErrors();
        for (var i = 0; i < 5_000; i++)
            errors.Add($"[{i}].user", "is required");

        Assert.True(errors.Any);
        Assert.Equal(5_000, errors.Count);
        Assert.Equal(ValidationErrors.MaxListed, errors.ToDictionary().Count);
    }
}
