using Portal.Client.Contract;

namespace Portal.Server.Gateway;

public enum GatewayRouteKind { S3, IamApi, JwtApi, Alb }

/// <summary>One gateway route as the proxy uses it: what it matches (a path prefix and/or a host), its backend and its
/// kind's settings. Routes come from <c>Portal:Gateway:Routes</c> (read-only) and from the database (the admin API).</summary>
public sealed record GatewayRoute
{
    public required string Id { get; init; }
    public required GatewayRouteKind Kind { get; init; }
    public string? PathPrefix { get; init; }
    public string? Host { get; init; }
    public required Uri Backend { get; init; }
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    public bool Enabled { get; init; } = true;
    public GatewayRouteSource Source { get; init; }
    public DateTimeOffset? LastModified { get; init; }

    public string? Setting(string key) => Settings.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : null;

    public bool Flag(string key, bool otherwise = false) => Setting(key) is { } v ? bool.TryParse(v, out var b) ? b : otherwise : otherwise;

    public long Number(string key, long otherwise) => Setting(key) is { } v && long.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : otherwise;

    /// <summary>Keys naming a secret (…Secret…, …Password…) are write-only in the admin API and protected at rest.</summary>
    public static bool IsSecretKey(string key) =>
        key.Contains("secret", StringComparison.OrdinalIgnoreCase) || key.Contains("password", StringComparison.OrdinalIgnoreCase);

    public const string SecretMask = "••••••";

    public GatewayRouteType ToContract() => new()
    {
        Id = Id, Kind = Kind.ToString(), PathPrefix = PathPrefix, Host = Host, Backend = Backend.ToString(), Enabled = Enabled,
        Settings = Settings.ToDictionary(s => s.Key, s => IsSecretKey(s.Key) && !string.IsNullOrEmpty(s.Value) ? SecretMask : s.Value),
        Source = Source.ToString(), LastModifiedDate = LastModified,
    };

    /// <summary>A route as the admin API or configuration gives it, checked: a known kind, an absolute http(s) backend, a
    /// path prefix starting with '/', a host name without scheme or path.</summary>
    public static GatewayRoute From(GatewayRouteType route, GatewayRouteSource source, DateTimeOffset? modified)
    {
        if (string.IsNullOrWhiteSpace(route.Id) || !route.Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || route.Id.Length > 64)
            throw new InvalidParameterException("Route Id must be 1 to 64 letters, digits, '-' or '_'.", "Route.Id");
        if (!Enum.TryParse<GatewayRouteKind>(route.Kind, ignoreCase: false, out var kind) || !Enum.IsDefined(kind) || int.TryParse(route.Kind, out _))
            throw new InvalidParameterException($"Route Kind must be one of {string.Join(", ", GatewayRouteKinds.All)}.", "Route.Kind");
        if (!Uri.TryCreate(route.Backend, UriKind.Absolute, out var backend) || backend.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(backend.Query)
            || !string.IsNullOrEmpty(backend.UserInfo))
            throw new InvalidParameterException("Route Backend must be an absolute http or https URL without query or credentials.", "Route.Backend");
        var prefix = string.IsNullOrWhiteSpace(route.PathPrefix) ? null : route.PathPrefix.TrimEnd('/');
        if (prefix is not null && (!prefix.StartsWith('/') || prefix.Contains("//", StringComparison.Ordinal) || prefix.Contains('?') || prefix.Contains('#')
                                   || prefix.Contains('{') || prefix.Contains('}') || prefix.Contains('*')))
            throw new InvalidParameterException("Route PathPrefix must start with '/' and hold no '?', '#', '{', '}', '*' or '//'.", "Route.PathPrefix");
        var host = string.IsNullOrWhiteSpace(route.Host) ? null : route.Host.Trim().ToLowerInvariant();
        if (host is not null && Uri.CheckHostName(host.Split(':')[0]) == UriHostNameType.Unknown)
            throw new InvalidParameterException("Route Host must be a host name (with an optional port).", "Route.Host");
        if (kind != GatewayRouteKind.S3 && prefix is null && host is null)
            throw new InvalidParameterException("Route must match a PathPrefix, a Host, or both.", "Route.PathPrefix");
        return new GatewayRoute
        {
            Id = route.Id, Kind = kind, PathPrefix = prefix == "" ? null : prefix, Host = host, Backend = backend,
            Settings = new Dictionary<string, string>(route.Settings ?? [], StringComparer.OrdinalIgnoreCase),
            Enabled = route.Enabled ?? true, Source = source, LastModified = modified,
        };
    }
}

public enum GatewayRouteSource { Configuration, Database }

/// <summary><c>Portal:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public List<GatewayRouteType> Routes { get; set; } = [];
    public DecisionLogOptions DecisionLog { get; set; } = new();
    /// <summary>Extra ports Portal listens on for S3 requests only (Amplify's local-testing endpoint is 20005); 0 for none.</summary>
    public int S3ListenerPort { get; set; }
    /// <summary>How often every instance re-reads the routes stored in the database (changes made on this instance apply at once).</summary>
    public int RefreshSeconds { get; set; } = 15;
}

public sealed class DecisionLogOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>Decisions waiting to be written; when full, the oldest waiting one is dropped (and counted), never the request delayed.</summary>
    public int QueueCapacity { get; set; } = 10_000;
    /// <summary>The most decisions one write carries.</summary>
    public int BatchSize { get; set; } = 500;
    /// <summary>How long the writer lets a batch fill after its first decision (0: write at once). A decision reaches the
    /// log (and the portal's page) at most about this long after it was made; /metrics counts it at once.</summary>
    public int FlushMilliseconds { get; set; } = 1000;
    public int RetentionDays { get; set; } = 7;
    /// <summary>The most rows kept; the oldest go first.</summary>
    public int MaxRows { get; set; } = 200_000;
}
