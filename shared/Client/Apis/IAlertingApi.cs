namespace Tokenwise.Client.Apis;

/// <summary>Alerting (default port 5104): health only until issue E.</summary>
public interface IAlertingApi : IHealthApi;
