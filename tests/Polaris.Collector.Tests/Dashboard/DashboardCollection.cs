namespace Polaris.Collector.Tests.Dashboard;

/// <summary>The dashboard's test classes share one fed collector (<see cref="DashboardSite"/>): feeding it is most of
/// their time.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardSite>
{
    public const string Name = "dashboard";
}
