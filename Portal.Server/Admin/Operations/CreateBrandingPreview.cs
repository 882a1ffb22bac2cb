using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Branding;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Admin.Operations;

/// <summary>The portal's live preview: checks the draft as the save would (CSS with lines, theme, logo) and, when it
/// would be accepted, signs it into a hosted-page URL (<see cref="BrandingPreview"/>). Only a new logo is stored, under
/// its content hash, so later previews and the save refer to the same asset.</summary>
sealed class CreateBrandingPreview(PortalDb db, UserPoolStore pools, UiCustomizationStore customizations, AppClientStore clients,
    CssPolicy cssPolicy, ThemePolicy themes, LogoPolicy logos, BrandingAssets assets, BrandingPreview previews, TimeProvider clock)
    : IOperation<CreateBrandingPreviewRequest, CreateBrandingPreviewResponse>
{
    static readonly string PreviewChallenge =
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("portal-branding-preview"u8)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static bool HostsSignIn(AppClientStore.Client c) =>
        c.Settings.AllowedOAuthFlowsUserPoolClient == true && c.Settings.AllowedOAuthFlows is { Count: > 0 } flows
        && (flows.Contains("code") || flows.Contains("implicit")) && c.Settings.CallbackURLs is { Count: > 0 };

    public async Task<CreateBrandingPreviewResponse> Handle(CreateBrandingPreviewRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        await assets.SweepPreviews(clock.GetUtcNow(), ct);
        var clientKey = await customizations.ClientKey(pool.Row.Id, request.ClientId, ct);
        var cssProblems = cssPolicy.Check(request.CSS)
            .Select(p => new CssProblemType { Line = p.Line, Column = p.Column, Message = p.Message }).ToList();
        var themeProblems = themes.Check(request.Theme).ToList();

        string? logoKey = null, logoProblem = null;
        if (request.ImageFile is { Length: > 0 } image)
        {
            var (facts, refusal) = logos.Check(image);
            if (facts is null) logoProblem = refusal;
            else
            {
                logoKey = await assets.PutImage(image, "logo", LogoPolicy.MaxBytes, ct);
                // Kept while this preview (and a save of it) may still refer to it; then removed unless saved.
                await assets.MarkPreview(logoKey, clock.GetUtcNow() + BrandingPreview.Lifetime + TimeSpan.FromHours(1), ct);
                await db.SaveChangesAsync(ct);
            }
        }
        else if (request.LogoKey is { } key)
        {
            if (await assets.Exists(key, ct)) logoKey = key;
            else logoProblem = $"The logo '{key}' is not in the asset store any more: upload it again.";
        }

        var domain = await db.Domains.AsNoTracking().Where(d => d.UserPoolId == pool.Row.Id).Select(d => d.Domain).FirstOrDefaultAsync(ct);
        var answer = new CreateBrandingPreviewResponse
        {
            CssProblems = cssProblems, ThemeProblems = themeProblems, LogoProblem = logoProblem, LogoKey = logoKey,
        };
        if (domain is null)
            return answer with { Problem = "This pool has no domain, so it has no hosted UI to preview: add a domain in the pool's settings." };
        if (cssProblems.Count > 0 || themeProblems.Count > 0 || logoProblem is not null) return answer;

        var token = previews.Create(new BrandingDraft
        {
            UserPoolId = pool.Row.Id, ClientId = clientKey, Css = request.CSS, Theme = request.Theme, LogoKey = logoKey,
        });
        // The hosted page needs a client that may use it (OAuth flows on, a callback URL); for ALL, the first such client.
        var client = clientKey == UiCustomizationStore.All
            ? (await db.AppClients.AsNoTracking().Where(c => c.UserPoolId == pool.Row.Id).OrderBy(c => c.CreatedAt).ToListAsync(ct))
                .Select(c => new AppClientStore.Client(c, AppClientStore.Read(c))).FirstOrDefault(HostsSignIn)
            : await clients.Get(pool.Row.Id, clientKey, ct);
        var page = request.Page ?? "login";
        var query = $"preview={Uri.EscapeDataString(token)}";
        string? problem = null;
        if (client is not null && HostsSignIn(client))
        {
            var flows = client.Settings.AllowedOAuthFlows!;
            query = $"client_id={Uri.EscapeDataString(client.Row.ClientId)}&response_type={(flows.Contains("code") ? "code" : "token")}" +
                    $"&redirect_uri={Uri.EscapeDataString(client.Settings.CallbackURLs![0])}" +
                    // A public client's code flow needs PKCE; nobody holds this challenge's verifier, so a sign-in in the preview goes nowhere.
                    (client.Row.ClientSecret is null && flows.Contains("code") ? $"&code_challenge={PreviewChallenge}&code_challenge_method=S256" : "") +
                    $"&{query}";
        }
        else
            problem = "No app client of this pool may use the hosted UI (OAuth flows and a callback URL), so the preview shows the hosted UI's error page with the draft's look.";
        return answer with
        {
            PreviewUrl = $"/{Uri.EscapeDataString(domain)}/{page}?{query}",
            ExpiresAt = clock.GetUtcNow() + BrandingPreview.Lifetime,
            Problem = problem,
        };
    }
}
