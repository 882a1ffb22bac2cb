using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.HostedUi;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Testing;

public sealed record MintTestSessionRequest : ICognitoRequest<MintTestSessionResponse>
{
    public string? UserPoolId { get; init; }
    public string? Username { get; init; }
    public string? ClientId { get; init; }
}

/// <summary>The hosted UI's single sign-on cookie for the pool's domain: set it (Playwright storageState) and
/// /oauth2/authorize signs the user in without a form.</summary>
public sealed record SsoCookie(string Name, string Value, string Path, string Domain);

public sealed record MintTestSessionResponse
{
    public AuthenticationResultType? AuthenticationResult { get; init; }
    public SsoCookie? SsoCookie { get; init; }
}

/// <summary>A sign-in without the sign-in: the tokens a password sign-in of the user at the app client is issued, by the
/// same issuing code (Tokens.Issue, its pre token generation trigger included), and the hosted UI's SSO cookie. The
/// user must be able to sign in (confirmed, enabled).</summary>
sealed class MintTestSession(PortalDb db, UserPoolStore pools, AppClientStore clients, UserStore users, Tokens tokens, SsoSession sso,
    AuthEvents events, Microsoft.Extensions.Options.IOptions<PortalOptions> portal, TimeProvider clock)
    : IOperation<MintTestSessionRequest, MintTestSessionResponse>
{
    public async Task<MintTestSessionResponse> Handle(MintTestSessionRequest request, CancellationToken ct)
    {
        // The pool and client as a sign-in reads them: this instance's snapshots, not a read of each row per mint.
        var pool = await pools.Cached(request.UserPoolId, ct);
        var client = await clients.Cached(pool.Row.Id, request.ClientId, ct);
        var user = await users.Get(pool, request.Username, ct);
        if (!user.Enabled) throw new NotAuthorizedException("User is disabled.");
        if (user.Status is not (UserStatus.Confirmed or UserStatus.ExternalProvider))
            throw new UserNotConfirmedException($"User {user.Username} is {user.Status}: only a user who can sign in gets a session.");
        var now = clock.GetUtcNow();
        var result = await tokens.Issue(new TokenGrant(pool, client, user, now, [Tokens.AdminScope])
        {
            TriggerSource = "TokenGeneration_Authentication",
        }, ct);
        await events.SignedIn(pool, user, client.Row.ClientId, ct, ("Password", true));
        await db.SaveChangesAsync(ct);
        var domain = await db.Domains.AsNoTracking().Where(d => d.UserPoolId == pool.Row.Id).OrderBy(d => d.CreatedAt)
            .Select(d => d.Domain).FirstOrDefaultAsync(ct);
        SsoCookie? cookie = null;
        if (domain is not null)
        {
            var host = Uri.TryCreate(portal.Value.PublicBaseUrl, UriKind.Absolute, out var u) ? u.Host : "localhost";
            cookie = new SsoCookie(SsoSession.CookieName(domain), sso.Protect(pool.Row.Id, user.Sub, now), "/" + domain, host);
        }
        return new MintTestSessionResponse { AuthenticationResult = result, SsoCookie = cookie };
    }
}
