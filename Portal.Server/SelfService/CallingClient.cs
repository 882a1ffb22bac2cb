using System.Security.Cryptography;
using System.Text;
using Portal.Client.Contract;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService;

/// <summary>The app client named by an unsigned self-service request (SignUp, ForgotPassword, ...) and its pool.</summary>
public sealed record CallingClient(AppClientStore.Client Client, UserPoolStore.Pool Pool)
{
    public static async Task<CallingClient> Resolve(AppClientStore clients, UserPoolStore pools, string? clientId, CancellationToken ct)
    {
        // Read on every sign-in, refresh and self-service call: the cached snapshots (see PoolConfigCache).
        var client = await clients.FindCached(clientId, ct) ?? throw ResourceNotFoundException.AppClient(clientId);
        return new CallingClient(client, await pools.Cached(client.Row.UserPoolId, ct));
    }

    /// <summary>With ENABLED, unknown users get the answers known ones get, so callers cannot probe for accounts.</summary>
    public bool PreventsUserExistenceErrors => Client.Settings.PreventUserExistenceErrors == "ENABLED";

    /// <summary>A client with a secret must prove it: SECRET_HASH = Base64(HMAC-SHA256(secret, username + clientId)).
    /// The hash may be made from the name the caller used or the internal username, and with either secret during a rotation.</summary>
    public void CheckSecretHash(string? secretHash, params string?[] usernames)
    {
        var secrets = ClientSecrets.Of(Client.Row);
        if (secrets.Count == 0) return;
        if (string.IsNullOrEmpty(secretHash))
            throw new NotAuthorizedException($"Client {Client.Row.ClientId} is configured for secret but secret was not received");
        var given = Encoding.UTF8.GetBytes(secretHash);
        foreach (var secret in secrets)
            foreach (var username in usernames.Where(u => !string.IsNullOrEmpty(u)).Distinct())
                if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(SecretHash(secret.Value, username!, Client.Row.ClientId)), given))
                    return;
        throw new NotAuthorizedException($"Unable to verify secret hash for client {Client.Row.ClientId}");
    }

    /// <summary>A client with a secret must send it (GetTokensFromRefreshToken, RevokeToken), compared in constant time.</summary>
    public void CheckClientSecret(string? clientSecret)
    {
        if (string.IsNullOrEmpty(Client.Row.ClientSecret)) return;
        if (string.IsNullOrEmpty(clientSecret))
            throw new NotAuthorizedException($"Client {Client.Row.ClientId} is configured for secret but secret was not received");
        if (!ClientSecrets.Matches(Client.Row, clientSecret))
            throw new NotAuthorizedException($"Unable to verify secret for client {Client.Row.ClientId}");
    }

    public static string SecretHash(string clientSecret, string username, string clientId) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(username + clientId)));

    /// <summary>Attributes the client may write (its WriteAttributes, or every writable one); *_verified only when listed.</summary>
    public void CheckWriteAttributes(IEnumerable<string> names)
    {
        var allowed = Client.Settings.WriteAttributes;
        foreach (var name in names)
        {
            var permitted = allowed is { Count: > 0 } ? allowed.Contains(name) : name is not ("email_verified" or "phone_number_verified");
            if (!permitted) throw new NotAuthorizedException(Portal.Server.Auth.SignInErrors.UnauthorizedAttribute);
        }
    }
}
