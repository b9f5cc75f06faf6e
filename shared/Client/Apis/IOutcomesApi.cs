namespace Tokenwise.Client.Apis;

/// <summary>Outcomes (default port 5103): health only until issue D.</summary>
public interface IOutcomesApi : IHealthApi;
