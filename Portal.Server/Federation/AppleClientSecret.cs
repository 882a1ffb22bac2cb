using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Portal.Client.Contract;

namespace Portal.Server.Federation;

/// <summary>Sign in with Apple has no static client secret: each token request carries a short ES256 JWT signed with
/// the team's private key (key_id, team_id), as Apple documents.</summary>
public static class AppleClientSecret
{
    public static void Check(string privateKey)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(privateKey);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new InvalidParameterException("private_key is not a valid PEM-encoded EC private key");
        }
    }

    public static string Create(IReadOnlyDictionary<string, string> details, DateTimeOffset now)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(details["private_key"]);
        var issuer = details.GetValueOrDefault("oidc_issuer") is { Length: > 0 } i ? i : "https://appleid.apple.com";
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = details["team_id"], Audience = issuer, IssuedAt = now.UtcDateTime, NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(5).UtcDateTime,
            Claims = new Dictionary<string, object> { ["sub"] = details["client_id"] },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = details["key_id"] }, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
