using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Server.HostedUi;

/// <summary>The OAuth 2.0 / OIDC parameters of /oauth2/authorize, carried through the hosted pages as a query string.</summary>
public sealed record OAuthParameters
{
    public string? ClientId { get; init; }
    public string? RedirectUri { get; init; }
    public string? ResponseType { get; init; }
    public string? Scope { get; init; }
    public string? State { get; init; }
    public string? Nonce { get; init; }
    public string? CodeChallenge { get; init; }
    public string? CodeChallengeMethod { get; init; }
    public string? IdentityProvider { get; init; }
    public string? IdpIdentifier { get; init; }
    public string? Prompt { get; init; }
    public string? UiLocales { get; init; }
    /// <summary>Managed login's <c>lang</c>: fixes the pages' language for this sign-in, before ui_locales and Accept-Language.</summary>
    public string? Lang { get; init; }
    public string? LoginHint { get; init; }
    public string? Preview { get; init; }                  // a signed draft-branding token (portal live preview)

    static readonly (string Name, Func<OAuthParameters, string?> Get)[] Names =
    [
        ("client_id", p => p.ClientId), ("redirect_uri", p => p.RedirectUri), ("response_type", p => p.ResponseType),
        ("scope", p => p.Scope), ("state", p => p.State), ("nonce", p => p.Nonce), ("code_challenge", p => p.CodeChallenge),
        ("code_challenge_method", p => p.CodeChallengeMethod), ("identity_provider", p => p.IdentityProvider),
        ("idp_identifier", p => p.IdpIdentifier), ("prompt", p => p.Prompt), ("ui_locales", p => p.UiLocales),
        ("lang", p => p.Lang), ("login_hint", p => p.LoginHint), ("preview", p => p.Preview),
    ];

    public static OAuthParameters From(IQueryCollection q) => From(k => q[k].ToString());
    public static OAuthParameters From(IFormCollection f, IQueryCollection q) => From(k => f.ContainsKey(k) ? f[k].ToString() : q[k].ToString());

    static OAuthParameters From(Func<string, string> get)
    {
        string? V(string k) => get(k) is { Length: > 0 } v ? v : null;
        return new OAuthParameters
        {
            ClientId = V("client_id"), RedirectUri = V("redirect_uri"), ResponseType = V("response_type"), Scope = V("scope"),
            State = V("state"), Nonce = V("nonce"), CodeChallenge = V("code_challenge"), CodeChallengeMethod = V("code_challenge_method"),
            IdentityProvider = V("identity_provider"), IdpIdentifier = V("idp_identifier"), Prompt = V("prompt"),
            UiLocales = V("ui_locales"), Lang = V("lang"), LoginHint = V("login_hint"), Preview = V("preview"),
        };
    }

    /// <summary>"?client_id=...&amp;..." with the parameters that are set, for links between the hosted pages.</summary>
    public string ToQuery()
    {
        var pairs = Names.Select(n => (n.Name, Value: n.Get(this))).Where(p => p.Value is not null)
            .ToDictionary(p => p.Name, p => (string?)p.Value);
        return pairs.Count == 0 ? "" : QueryHelpers.AddQueryString("", pairs);
    }

    /// <summary>The languages asked for, first choice first: <c>lang</c>, then <c>ui_locales</c>.</summary>
    public string? Languages => Lang is null ? UiLocales : $"{Lang} {UiLocales}".TrimEnd();

    public IReadOnlyList<string> Scopes => (Scope ?? "").Split(' ', '+').Where(s => s.Length > 0).Distinct().ToList();
}
