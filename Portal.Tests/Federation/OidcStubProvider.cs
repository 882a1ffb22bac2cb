using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Federation;

/// <summary>A hostile OpenID provider: it answers the code flow at once and mints ID tokens that are wrong in the way a
/// test chooses (audience, issuer, nonce, signature, expiry), to show Portal refuses them.</summary>
public sealed class OidcStubProvider : IAsyncDisposable
{
    static readonly System.Text.Json.JsonSerializerOptions WithoutNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    readonly WebApplication app;
    readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "stub-key" };
    readonly RsaSecurityKey otherKey = new(RSA.Create(2048)) { KeyId = "stub-key" };
    string? lastNonce;
    public string Issuer { get; }
    public string ClientId => "stub-client";
    public string? Audience { get; set; }
    public string? TokenIssuer { get; set; }
    public string? Nonce { get; set; }
    public bool SignWithOtherKey { get; set; }
    public bool Expired { get; set; }
    public (string Method, Dictionary<string, string> Values)? LastTokenRequest { get; private set; }
    public (string Method, string Query, string Authorization)? LastUserInfo { get; private set; }
    public string? Subject { get; set; }

    OidcStubProvider(WebApplication app, string issuer) => (this.app, Issuer) = (app, issuer);

    public static async Task<OidcStubProvider> Start()
    {
        var port = PortalServer.FreePort();
        var issuer = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(issuer);
        var app = builder.Build();
        var stub = new OidcStubProvider(app, issuer);
        app.MapGet("/authorize", (HttpContext http) =>
        {
            stub.lastNonce = http.Request.Query["nonce"];
            return Results.Redirect(QueryHelpers.AddQueryString(http.Request.Query["redirect_uri"]!,
                new Dictionary<string, string?> { ["code"] = "stub-code", ["state"] = http.Request.Query["state"] }));
        });
        app.MapMethods("/token", ["GET", "POST"], async (HttpContext http) =>
        {
            var values = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync()).ToDictionary(k => k.Key, k => k.Value.ToString())
                : http.Request.Query.ToDictionary(k => k.Key, k => k.Value.ToString());
            stub.LastTokenRequest = (http.Request.Method, values);
            return Results.Json(new { access_token = "stub-access", token_type = "Bearer", id_token = stub.IdToken() });
        });
        app.MapGet("/jwks", () => Results.Text(
            System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(stub.key.Rsa.ExportParameters(false)) { KeyId = "stub-key" }) } },
                WithoutNulls),
            "application/json"));
        app.MapMethods("/userinfo", ["GET", "POST"], (HttpContext http) =>
        {
            stub.LastUserInfo = (http.Request.Method, http.Request.QueryString.Value ?? "", http.Request.Headers.Authorization.ToString());
            return Results.Json(new { sub = "stub-user", id = "stub-user", user_id = "stub-user", email = "stub@stub.example", name = "Stub User" });
        });
        await app.StartAsync();
        return stub;
    }

    string IdToken()
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenIssuer ?? Issuer, Audience = Audience ?? ClientId,
            IssuedAt = Expired ? now.AddHours(-2) : now, NotBefore = Expired ? now.AddHours(-2) : now, Expires = Expired ? now.AddHours(-1) : now.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = Subject ?? "stub-user", ["email"] = "stub@stub.example", ["nonce"] = Nonce ?? lastNonce ?? "" },
            SigningCredentials = new SigningCredentials(SignWithOtherKey ? otherKey : key, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Reset() => (Audience, TokenIssuer, Nonce, SignWithOtherKey, Expired, Subject) = (null, null, null, false, false, null);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
