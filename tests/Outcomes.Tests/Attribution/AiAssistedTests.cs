using Tokenwise.Outcomes.Attribution;

namespace Tokenwise.Outcomes.Tests.Attribution;

/// <summary>When a PR counts as AI-assisted.</summary>
public sealed class AiAssistedTests
{
    [Fact]
    public void A_PR_the_sender_flagged_is_AI_assisted_without_any_usage() => Assert.True(AiAssisted.Of(true, []));

    [Theory]
    [InlineData(nameof(AttributionRule.Explicit))]
    [InlineData(nameof(AttributionRule.Session))]
    public void Usage_spent_on_the_PR_itself_makes_it_AI_assisted(string rule) =>
        Assert.True(AiAssisted.Of(false, [rule]));

    [Fact]
    public void Usage_in_the_authors_window_alone_does_not() =>
        Assert.False(AiAssisted.Of(false, [nameof(AttributionRule.Window)]));
}
