using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.Testing;

public sealed record CloneTestPoolRequest : ICognitoRequest<CloneTestPoolResponse>
{
    /// <summary>The template pool.</summary>
    public string? UserPoolId { get; init; }
    /// <summary>The new pool's name; default the template's with a random suffix.</summary>
    public string? PoolName { get; init; }
    /// <summary>The clone is deleted this many seconds after its creation (the sweeper); none: it stays.</summary>
    public int? TtlSeconds { get; init; }
    /// <summary>The clone's hosted-UI domain is the template's with "-{suffix}"; none: the clone has no domain.</summary>
    public string? DomainSuffix { get; init; }
}

public sealed record ClonedClient(string ClientName, string TemplateClientId, string ClientId, string? ClientSecret);

public sealed record CloneTestPoolResponse
{
    public string? UserPoolId { get; init; }
    public string? PoolName { get; init; }
    public string? Domain { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public IReadOnlyList<ClonedClient> Clients { get; init; } = [];
}

/// <summary>A pool per test worker in one call: the template's settings (policies, schema, MFA, LambdaConfig), app
/// clients (fresh ids and secrets), resource servers, groups, identity providers, stored trigger functions and branding;
/// never its users. The domain is omitted, or the template's with a suffix.</summary>
sealed class CloneTestPool(PortalDb db, UserPoolStore pools, Ids ids, TestPools testPools, FastHashing fastHashing, TestIdp testIdp, TimeProvider clock)
    : IOperation<CloneTestPoolRequest, CloneTestPoolResponse>
{
    public async Task<CloneTestPoolResponse> Handle(CloneTestPoolRequest request, CancellationToken ct)
    {
        var template = await pools.Get(request.UserPoolId, ct);
        if (request.TtlSeconds is < 1 or > 7 * 24 * 3600)
            throw new InvalidParameterException("ttlSeconds must be between 1 and 604800 (7 days).", "ttlSeconds");
        if (request.DomainSuffix is { } s && (s.Length is 0 or > 20 || !s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            throw new InvalidParameterException("domainSuffix must be 1 to 20 lowercase letters, digits or hyphens.", "domainSuffix");
        var now = clock.GetUtcNow();
        var from = template.Row.Id;
        var id = ids.NewUserPoolId();
        var name = string.IsNullOrWhiteSpace(request.PoolName)
            ? $"{template.Row.Name}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}"
            : request.PoolName.Trim();
        db.UserPools.Add(new UserPoolRow
        {
            Id = id, Name = name, CreatedAt = now, LastModifiedAt = now, Settings = template.Row.Settings, Tags = template.Row.Tags,
            UsernameCaseSensitive = template.Row.UsernameCaseSensitive,
        });

        var clients = new List<ClonedClient>();
        var clientIds = new Dictionary<string, string>(StringComparer.Ordinal) { ["ALL"] = "ALL" };
        foreach (var c in await db.AppClients.AsNoTracking().Where(c => c.UserPoolId == from).OrderBy(c => c.CreatedAt).ToListAsync(ct))
        {
            var clientId = ids.NewClientId();
            var secret = c.ClientSecret is null ? null : ids.NewClientSecret();
            clientIds[c.ClientId] = clientId;
            db.AppClients.Add(new AppClientRow
            {
                ClientId = clientId, UserPoolId = id, ClientName = c.ClientName, ClientSecret = secret, CreatedAt = now, LastModifiedAt = now,
                Settings = c.Settings,
            });
            clients.Add(new ClonedClient(c.ClientName, c.ClientId, clientId, secret));
        }
        foreach (var r in await db.ResourceServers.AsNoTracking().Where(r => r.UserPoolId == from).ToListAsync(ct))
            db.ResourceServers.Add(new ResourceServerRow { UserPoolId = id, Identifier = r.Identifier, Name = r.Name, Scopes = r.Scopes });
        foreach (var g in await db.Groups.AsNoTracking().Where(g => g.UserPoolId == from).ToListAsync(ct))
            db.Groups.Add(new GroupRow
            {
                UserPoolId = id, GroupName = g.GroupName, Description = g.Description, Precedence = g.Precedence, RoleArn = g.RoleArn,
                CreatedAt = now, LastModifiedAt = now,
            });
        foreach (var p in await db.IdentityProviders.AsNoTracking().Where(p => p.UserPoolId == from).ToListAsync(ct))
            db.IdentityProviders.Add(new IdentityProviderRow
            {
                UserPoolId = id, ProviderName = p.ProviderName, ProviderType = p.ProviderType,
                // The built-in test IdP knows each pool by its own client id and secret.
                ProviderDetails = Federation.IdentityProviders.ProviderDetails(p).GetValueOrDefault("client_id") == TestIdp.ClientIdFor(from)
                    ? Federation.IdentityProviders.Json(await testIdp.ProviderDetails(id, ct)) : p.ProviderDetails,
                AttributeMapping = p.AttributeMapping, IdpIdentifiers = p.IdpIdentifiers, CreatedAt = now, LastModifiedAt = now,
            });
        foreach (var u in await db.UiCustomizations.AsNoTracking().Where(u => u.UserPoolId == from).ToListAsync(ct))
            if (clientIds.TryGetValue(u.ClientId, out var clientId))
                db.UiCustomizations.Add(new UiCustomizationRow
                {
                    UserPoolId = id, ClientId = clientId, Css = u.Css, ImageKey = u.ImageKey, Theme = u.Theme, CreatedAt = now, LastModifiedAt = now,
                });
        var functions = TriggerFunctions.PoolPrefix(from);
        foreach (var f in await db.Settings.AsNoTracking().Where(f => f.Key.StartsWith(functions)).ToListAsync(ct))
            db.Settings.Add(new SettingRow { Key = TriggerFunctions.PoolPrefix(id) + f.Key[functions.Length..], Value = f.Value });

        string? domain = null;
        if (request.DomainSuffix is { } suffix
            && await db.Domains.AsNoTracking().Where(d => d.UserPoolId == from).OrderBy(d => d.CreatedAt).FirstOrDefaultAsync(ct) is { } d
            && !UserPoolDomains.IsCustom(d))
        {
            domain = $"{d.Domain}-{suffix}";
            if (await db.Domains.AnyAsync(x => x.Domain == domain, ct))
                throw new InvalidParameterException($"Domain {domain} is already in use.", "domainSuffix");
            db.Domains.Add(new UserPoolDomainRow { Domain = domain, UserPoolId = id, Settings = d.Settings, CreatedAt = now });
        }

        var expires = testPools.Mark(id, request.TtlSeconds, now);
        fastHashing.Created(id);
        await db.SaveChangesAsync(ct);
        return new CloneTestPoolResponse { UserPoolId = id, PoolName = name, Domain = domain, ExpiresAt = expires, Clients = clients };
    }
}
