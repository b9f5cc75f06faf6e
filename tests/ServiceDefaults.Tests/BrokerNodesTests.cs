namespace Tokenwise.ServiceDefaults.Tests;

public sealed class BrokerNodesTests
{
    [Fact]
    public void A_cluster_is_read_as_host_and_port_pairs_in_order() =>
        Assert.Equal(
            [("rabbit-1", (ushort)5672), ("10.0.0.7", (ushort)5673), ("rabbit-3.internal", (ushort)5674)],
            TokenwiseSettings.BrokerNodesOf(" rabbit-1:5672, 10.0.0.7:5673 ,rabbit-3.internal:5674")
        );

    [Fact]
    public void No_nodes_means_the_host_of_TOKENWISE_RABBITMQ_alone() =>
        Assert.Empty(TokenwiseSettings.BrokerNodesOf(""));

    [Theory]
    [InlineData("rabbit-1")]
    [InlineData("rabbit-1:0")]
    [InlineData("rabbit-1:70000")]
    [InlineData(":5672")]
    [InlineData("rabbit 1:5672")]
    [InlineData("rabbit-1:5672,,rabbit-2:5672")]
    public void A_node_that_is_not_host_and_port_is_refused_naming_the_variable(string text)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => TokenwiseSettings.BrokerNodesOf(text));
        Assert.Contains("TOKENWISE_RABBITMQ_NODES", refused.Message);
    }

    [Fact]
    public void More_than_nine_nodes_are_refused() =>
        Assert.Throws<InvalidOperationException>(() =>
            TokenwiseSettings.BrokerNodesOf(string.Join(",", Enumerable.Range(1, 10).Select(n => $"rabbit-{n}:5672")))
        );
}
