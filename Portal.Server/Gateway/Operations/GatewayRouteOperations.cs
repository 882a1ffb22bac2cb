using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Gateway.Operations;

/// <summary>Every route in force: appsettings' (Source Configuration, read-only) and the database's, secrets masked.</summary>
sealed class ListGatewayRoutes(PortalDb db, GatewayRoutes routes) : IOperation<ListGatewayRoutesRequest, ListGatewayRoutesResponse>
{
    public async Task<ListGatewayRoutesResponse> Handle(ListGatewayRoutesRequest request, CancellationToken ct)
    {
        var list = routes.FromConfiguration().ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var row in await db.GatewayRoutes.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ct))
            if (!list.ContainsKey(row.Id))
                list[row.Id] = routes.FromRow(row);
        return new ListGatewayRoutesResponse { Routes = list.Values.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => r.ToContract()).ToList() };
    }
}

/// <summary>Creates or replaces a database route, checked as the proxy will use it; a secret setting sent back masked keeps
/// its stored value. In force on this instance when the call returns, on the others within RefreshSeconds.</summary>
sealed class PutGatewayRoute(PortalDb db, GatewayRoutes routes, GatewayRefresher refresher, TimeProvider clock)
    : IOperation<PutGatewayRouteRequest, PutGatewayRouteResponse>
{
    public async Task<PutGatewayRouteResponse> Handle(PutGatewayRouteRequest request, CancellationToken ct)
    {
        var given = request.Route!;
        if (routes.FromConfiguration().Any(r => r.Id == given.Id))
            throw new InvalidParameterException($"Gateway route {given.Id} is defined in appsettings (Portal:Gateway:Routes) and cannot be changed here.", "Route.Id");
        var row = await db.GatewayRoutes.FirstOrDefaultAsync(r => r.Id == given.Id, ct);
        var settings = new Dictionary<string, string>(given.Settings ?? [], StringComparer.OrdinalIgnoreCase);
        if (row is not null)
        {
            var stored = routes.FromRow(row).Settings;
            foreach (var key in settings.Keys.ToList())
                if (GatewayRoute.IsSecretKey(key) && settings[key] == GatewayRoute.SecretMask)
                    settings[key] = stored.GetValueOrDefault(key) ?? "";
        }
        var route = GatewayRoute.From(given with { Settings = settings }, GatewayRouteSource.Database, clock.GetUtcNow());
        if (routes.KindOf(route) is not { } kind)
            throw new InvalidParameterException($"Gateway routes of kind {route.Kind} are not available in this version.", "Route.Kind");
        kind.Validate(route);
        var now = clock.GetUtcNow();
        if (row is null)
        {
            row = new GatewayRouteRow { Id = route.Id, Kind = route.Kind.ToString(), Backend = route.Backend.ToString(), CreatedAt = now };
            db.GatewayRoutes.Add(row);
        }
        row.Kind = route.Kind.ToString();
        row.PathPrefix = route.PathPrefix;
        row.Host = route.Host;
        row.Backend = route.Backend.ToString();
        row.Settings = routes.StoredSettings(route.Settings);
        row.Enabled = route.Enabled;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        await db.Work.AfterCommit(c => Reload(routes, refresher, c), ct);
        return new PutGatewayRouteResponse { Route = (route with { LastModified = now }).ToContract() };
    }

    internal static async Task Reload(GatewayRoutes routes, GatewayRefresher refresher, CancellationToken ct)
    {
        try
        {
            await routes.Reload(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The refresher tries again shortly.
            refresher.Signal();
        }
    }
}

sealed class DeleteGatewayRoute(PortalDb db, GatewayRoutes routes, GatewayRefresher refresher) : IOperation<DeleteGatewayRouteRequest, DeleteGatewayRouteResponse>
{
    public async Task<DeleteGatewayRouteResponse> Handle(DeleteGatewayRouteRequest request, CancellationToken ct)
    {
        if (routes.FromConfiguration().Any(r => r.Id == request.Id))
            throw new InvalidParameterException($"Gateway route {request.Id} is defined in appsettings (Portal:Gateway:Routes) and cannot be deleted here.", "Id");
        var deleted = await db.GatewayRoutes.Where(r => r.Id == request.Id).ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new ResourceNotFoundException($"Gateway route {request.Id} does not exist.");
        await db.Work.AfterCommit(c => PutGatewayRoute.Reload(routes, refresher, c), ct);
        return new DeleteGatewayRouteResponse();
    }
}

/// <summary>The decision log, newest first, filtered; paged by offset (a live tail asks with After instead).</summary>
sealed class ListGatewayDecisions(PortalDb db) : IOperation<ListGatewayDecisionsRequest, ListGatewayDecisionsResponse>
{
    public async Task<ListGatewayDecisionsResponse> Handle(ListGatewayDecisionsRequest request, CancellationToken ct)
    {
        var limit = request.Limit ?? 50;
        var q = db.GatewayDecisions.AsNoTracking();
        if (request.RouteId is { } route) q = q.Where(d => d.RouteId == route);
        if (request.Decision is { } decision) q = q.Where(d => d.Decision == decision);
        if (request.Caller is { } caller) q = q.Where(d => d.Caller == caller || d.AccessKeyId == caller);
        if (request.Action is { } action) q = q.Where(d => d.Action == action);
        if (request.After is { } after) q = q.Where(d => d.Time >= after);
        if (request.Before is { } before) q = q.Where(d => d.Time < before);
        var skip = 0;
        if (UserPools.PageToken.After("gateway-decisions", request.NextToken) is { } key
            && (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out skip) || skip < 0))
            throw InvalidParameterException.PaginationToken();
        if (request.NextToken is not null && skip == 0) throw InvalidParameterException.PaginationToken();
        var rows = await q.OrderByDescending(d => d.Time).ThenByDescending(d => d.Id).Skip(skip).Take(limit + 1).ToListAsync(ct);
        var more = rows.Count > limit;
        if (more) rows.RemoveAt(limit);
        return new ListGatewayDecisionsResponse
        {
            Decisions = rows.Select(d => new GatewayDecisionType
            {
                Id = d.Id.ToString(), Time = d.Time, RouteId = d.RouteId, Kind = d.Kind, Caller = d.Caller, AccessKeyId = d.AccessKeyId, Action = d.Action,
                Resource = d.Resource, Decision = d.Decision, ErrorCode = d.ErrorCode, Policy = d.Policy, Statement = d.Statement, SourceIp = d.SourceIp,
            }).ToList(),
            NextToken = more ? UserPools.PageToken.Next("gateway-decisions", (skip + limit).ToString(System.Globalization.CultureInfo.InvariantCulture)) : null,
        };
    }
}
