using Microsoft.AspNetCore.Antiforgery;
using Microsoft.EntityFrameworkCore;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.HostedUi;

/// <summary>One request to a pool's hosted UI: the domain resolved to its pool, the app client checked,
/// and everything a page needs (words, branding, antiforgery token).</summary>
public sealed class HostedUiRequest
{
    public required HttpContext Http { get; init; }
    public required string Domain { get; init; }
    public required UserPoolStore.Pool Pool { get; init; }
    public AppClientStore.Client? Client { get; init; }
    public required OAuthParameters OAuth { get; init; }
    public required Texts Texts { get; init; }
    public required Branding Branding { get; init; }

    public string BasePath => HostDomains.BasePath(Http, Domain);

    /// <summary>The common part of a page's model: words, branding, links, antiforgery token, password rules, errors.</summary>
    public PageModel Page(IAntiforgery antiforgery, string? error = null, IReadOnlyDictionary<string, string>? fieldErrors = null, string? info = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(Http);
        var policy = Pool.Settings.Policies?.PasswordPolicy ?? PasswordPolicy.Default;
        return new PageModel
        {
            Texts = Texts, BasePath = BasePath, Query = OAuth.ToQuery(), Branding = Branding,
            AntiforgeryField = tokens.FormFieldName, AntiforgeryToken = tokens.RequestToken,
            Error = error, Info = info, FieldErrors = fieldErrors ?? new Dictionary<string, string>(),
            PasswordRules = new PasswordRules(policy.MinimumLength ?? 8, policy.RequireLowercase == true, policy.RequireUppercase == true,
                policy.RequireNumbers == true, policy.RequireSymbols == true),
        };
    }
}

/// <summary>Finds the pool behind a hosted-UI domain: path-based <c>/{domain}/...</c>.</summary>
public sealed class HostedUiDomains(PortalDb db, UserPoolStore pools, PoolConfigCache cache)
{
    /// <summary>The domain's pool, both from the per-instance cache (<see cref="PoolConfigCache"/>: a domain created,
    /// changed or deleted anywhere is forgotten everywhere, as the host filter's custom domains are).</summary>
    public async Task<UserPoolStore.Pool?> Find(string domain, CancellationToken ct)
    {
        var poolId = await cache.Domains.Get(domain, c => db.Domains.AsNoTracking().Where(d => d.Domain == domain).Select(d => d.UserPoolId).FirstOrDefaultAsync(c), ct);
        return poolId is null ? null : await pools.FindCached(poolId, ct);
    }

    public async Task<string?> DomainOf(string userPoolId, CancellationToken ct) =>
        await db.Domains.AsNoTracking().Where(d => d.UserPoolId == userPoolId).Select(d => d.Domain).FirstOrDefaultAsync(ct);
}
