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
public sealed class HostedUiDomains(PortalDb db, UserPoolStore pools)
{
    public async Task<UserPoolStore.Pool?> Find(string domain, CancellationToken ct)
    {
        var row = await db.Domains.AsNoTracking().FirstOrDefaultAsync(d => d.Domain == domain, ct);
        return row is null ? null : await pools.Find(row.UserPoolId, ct);
    }

    public async Task<string?> DomainOf(string userPoolId, CancellationToken ct) =>
        await db.Domains.AsNoTracking().Where(d => d.UserPoolId == userPoolId).Select(d => d.Domain).FirstOrDefaultAsync(ct);
}
