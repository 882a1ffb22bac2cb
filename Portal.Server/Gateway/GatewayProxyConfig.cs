using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Portal.Server.Gateway;

/// <summary>YARP's configuration, made from the gateway's routes: per gateway route one cluster (its backend) and the
/// YARP routes its kind matches with, each carrying the gateway route's id in its metadata. <see cref="Update"/> swaps
/// the whole configuration and signals YARP to pick it up.</summary>
public sealed class GatewayProxyConfig : IProxyConfigProvider
{
    public const string RouteIdKey = "Portal.Gateway.Route";
    /// <summary>Gateway routes come before the portal's own endpoints (the AWS JSON endpoint is -1).</summary>
    public const int Order = -100;

    volatile Snapshot current = new([], []);
    readonly ILogger<GatewayProxyConfig> log;

    public GatewayProxyConfig(ILogger<GatewayProxyConfig> log) => this.log = log;

    public IProxyConfig GetConfig() => current;

    public void Update(IReadOnlyList<GatewayRoute> routes, IReadOnlyDictionary<string, IGatewayRouteKind> kinds)
    {
        var yarpRoutes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var route in routes.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            if (!kinds.TryGetValue(route.Kind.ToString(), out var kind)) continue;
            clusters.Add(new ClusterConfig
            {
                ClusterId = route.Id,
                Destinations = new Dictionary<string, DestinationConfig> { ["backend"] = new() { Address = route.Backend.ToString() } },
                HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(route.Number("TimeoutSeconds", 100)) },
            });
            foreach (var match in kind.Matches(route))
            {
                // Two routes matching the same requests at the same order would make every such request fail: the first
                // (by id) keeps them.
                if (yarpRoutes.Any(r => r.Match.Equals(match.Match) && (r.Order ?? Order) == (match.Order ?? Order)))
                {
                    log.LogWarning("Gateway route {Id} matches the same requests as another route and is left out of the proxy.", route.Id);
                    continue;
                }
                var metadata = new Dictionary<string, string>(match.Metadata ?? new Dictionary<string, string>()) { [RouteIdKey] = route.Id };
                yarpRoutes.Add(match with { ClusterId = route.Id, Metadata = metadata, Order = match.Order ?? Order });
            }
        }
        var old = current;
        current = new Snapshot(yarpRoutes, clusters);
        old.Changed();
    }

    /// <summary>The default YARP route of a gateway route: its PathPrefix (the prefix itself and everything under it) and/or Host.</summary>
    public static RouteConfig DefaultMatch(GatewayRoute route) => new()
    {
        RouteId = route.Id,
        ClusterId = route.Id,
        Match = new RouteMatch
        {
            Path = route.PathPrefix is { } prefix ? prefix + "/{**gateway-rest}" : "/{**gateway-rest}",
            Hosts = route.Host is { } host ? [host] : null,
        },
    };

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Its token is cancelled once, when it is replaced; YARP may still hold the token.")]
    sealed class Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        readonly CancellationTokenSource changed = new();

        public IReadOnlyList<RouteConfig> Routes { get; } = routes;
        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;
        public IChangeToken ChangeToken => new CancellationChangeToken(changed.Token);

        public void Changed() => changed.Cancel();
    }
}
