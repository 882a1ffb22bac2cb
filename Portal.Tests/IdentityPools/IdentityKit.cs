using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.Auth;
using Portal.Server.Storage;
using Portal.Server.Sts;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>What the identity-pool tests share: a user pool with an app client and a signed-in user (their ID token),
/// identity pools that trust it, IAM roles with Cognito's trust policy, and the wire both signed (admin operations) and
/// unsigned (as apps call GetId).</summary>
public sealed class IdentityKit(PortalServer server)
{
    public AuthKit Auth { get; } = new(server);
    public ICognito Admin => Auth.Admin;
    public ICognito Anonymous => Auth.Anonymous;
    public PortalServer Server => server;

    public sealed record SignedIn(AuthKit.App App, string Username, string Sub, string IdToken, string AccessToken)
    {
        public string ProviderName => $"cognito-idp.us-east-1.amazonaws.com/{App.PoolId}";
    }

    public async Task<AuthKit.App> UserPool() => await Auth.Pool();

    public async Task<SignedIn> SignIn(AuthKit.App app, string? username = null, Func<string, Task>? beforeSignIn = null)
    {
        username ??= PortalServer.Unique("user");
        await Auth.User(app.PoolId, username);
        if (beforeSignIn is not null) await beforeSignIn(username);
        var result = (await Auth.PasswordSignIn(app, username)).AuthenticationResult!;
        var sub = AuthKit.Claims(result.IdToken!).GetProperty("sub").GetString()!;
        return new SignedIn(app, username, sub, result.IdToken!, result.AccessToken!);
    }

    /// <summary>An identity pool trusting the user pool's app client (and, when given, developer logins).</summary>
    public async Task<CreateIdentityPoolResponse> Pool(AuthKit.App? app, bool guests = true, string? developer = null,
        bool serverSideTokenCheck = false, Dictionary<string, string>? social = null, bool classic = true)
    {
        return await Admin.Send(new CreateIdentityPoolRequest
        {
            IdentityPoolName = "pool " + Guid.NewGuid().ToString("n")[..8],
            AllowUnauthenticatedIdentities = guests,
            AllowClassicFlow = classic,
            DeveloperProviderName = developer,
            SupportedLoginProviders = social,
            CognitoIdentityProviders = app is null ? null :
            [
                new CognitoIdentityProvider
                {
                    ProviderName = $"cognito-idp.us-east-1.amazonaws.com/{app.PoolId}", ClientId = app.ClientId, ServerSideTokenCheck = serverSideTokenCheck,
                },
            ],
        });
    }

    /// <summary>An IAM role (stored as IAM's CreateRole stores it) whose trust policy is Cognito's standard one for the
    /// pool and the given amr ("authenticated", "unauthenticated", or null for both).</summary>
    public async Task<string> Role(string identityPoolId, string? amr, string? name = null)
    {
        name ??= PortalServer.Unique("role");
        var arn = $"arn:aws:iam::000000000000:role/{name}";
        var amrCondition = amr is null ? "" : ",\"ForAnyValue:StringLike\":{\"cognito-identity.amazonaws.com:amr\":\"" + amr + "\"}";
        var trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"cognito-identity.amazonaws.com\"},"
                    + "\"Action\":[\"sts:AssumeRoleWithWebIdentity\",\"sts:TagSession\"],"
                    + "\"Condition\":{\"StringEquals\":{\"cognito-identity.amazonaws.com:aud\":\"" + identityPoolId + "\"}" + amrCondition + "}}]}";
        await Auth.Db(async db =>
        {
            db.IamRoles.Add(new IamRoleRow
            {
                RoleId = "AROA" + Guid.NewGuid().ToString("n")[..17].ToUpperInvariant(), RoleName = name, RoleNameKey = name.ToUpperInvariant(),
                Arn = arn, AssumeRolePolicyDocument = trust, CreatedAt = server.Clock.GetUtcNow(),
            });
            return await db.SaveChangesAsync();
        });
        return arn;
    }

    /// <summary>What an STS session token says (role, identity, amr, tags, session policy).</summary>
    public async Task<SessionClaims> Session(string sessionToken) =>
        await server.Services.GetRequiredService<SessionTokens>().Open(sessionToken, CancellationToken.None)
        ?? throw new InvalidOperationException("Not a session token of this Portal.");

    /// <summary>The issuer without its scheme, as Amplify keys Logins: <c>127.0.0.1:port/{poolId}</c>.</summary>
    public string AmplifyKey(string userPoolId) => $"{new Uri(server.BaseUrl).Authority}/{userPoolId}";

    public static JsonElement Claims(string jwt) => JsonDocument.Parse(Jwt.FromBase64Url(jwt.Split('.')[1])).RootElement;
}
