using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Auth;

/// <summary>USER_SRP_AUTH: the PASSWORD_VERIFIER challenge.</summary>
public sealed class SrpFlow(SrpStep srp) : IAuthFlow
{
    public IReadOnlyCollection<string> Flows { get; } = [AuthFlow.UserSrpAuth];

    public Task<AuthStep> Start(SignInContext ctx, string flow, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        ctx.RequireFlow(flow);
        return srp.Start(ctx, p, ct);
    }
}

/// <summary>USER_PASSWORD_AUTH (InitiateAuth), ADMIN_USER_PASSWORD_AUTH and the legacy ADMIN_NO_SRP_AUTH (AdminInitiateAuth):
/// the password in the request.</summary>
public sealed class PasswordFlow(PasswordStep password) : IAuthFlow
{
    public IReadOnlyCollection<string> Flows { get; } = [AuthFlow.UserPasswordAuth, AuthFlow.AdminUserPasswordAuth, AuthFlow.AdminNoSrpAuth];

    public Task<AuthStep> Start(SignInContext ctx, string flow, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        if ((flow == AuthFlow.UserPasswordAuth) == ctx.Admin) throw InvalidParameterException.AuthFlowNotSupported();
        ctx.RequireFlow(flow);
        return password.Check(ctx, Steps.Required(p, "USERNAME"), Steps.Required(p, "PASSWORD"), p.GetValueOrDefault("SECRET_HASH"), ct);
    }
}

/// <summary>REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN): new ID and access tokens for a live refresh token.</summary>
public sealed class RefreshFlow(PortalDb db, Tokens tokens, Devices devices) : IAuthFlow
{
    /// <summary>As Cognito documents: clients with refresh token rotation refresh only with GetTokensFromRefreshToken.</summary>
    public const string RotatingClientRefresh = "REFRESH_TOKEN_AUTH is not supported for app clients with refresh token rotation; use GetTokensFromRefreshToken.";

    public IReadOnlyCollection<string> Flows { get; } = [AuthFlow.RefreshTokenAuth, AuthFlow.RefreshToken];

    public async Task<AuthStep> Start(SignInContext ctx, string flow, IReadOnlyDictionary<string, string> p, CancellationToken ct)
    {
        ctx.RequireFlow(AuthFlow.RefreshTokenAuth);
        var refreshToken = Steps.Required(p, "REFRESH_TOKEN");
        if (Tokens.Rotates(ctx.Client)) throw new InvalidParameterException(RotatingClientRefresh);
        var (row, user) = await tokens.Live(refreshToken, ctx.ClientId, ct);
        ctx.CheckSecretHash(p.GetValueOrDefault("SECRET_HASH"), p.GetValueOrDefault("USERNAME"), user.Username, user.Sub);
        await devices.CheckRefresh(row, ctx.DeviceKey, ct);

        var grant = new TokenGrant(ctx.Pool, ctx.Client, user, row.IssuedAt, Tokens.ScopesOf(refreshToken))
        {
            TriggerSource = "TokenGeneration_RefreshTokens", ClientMetadata = ctx.Metadata,
        };
        var result = await tokens.Renew(grant, row, ct);
        await db.SaveChangesAsync(ct);
        return new AuthStep(null, null, [], result);
    }
}
