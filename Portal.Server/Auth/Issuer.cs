using Microsoft.Extensions.Options;

namespace Portal.Server.Auth;

/// <summary>Where tokens say they come from: <c>{PublicBaseUrl}/{poolId}</c>, the public URL decided at start-up
/// (<see cref="PublicUrl"/>), never the request's Host. With <see cref="PortalOptions.CognitoIssuer"/> a user pool's tokens
/// name Cognito's issuer instead, <c>https://cognito-idp.{region}.amazonaws.com/{poolId}</c>, so verifiers that hard-code it
/// (aws-jwt-verify's CognitoJwtVerifier) take them; the discovery document and the JWKS stay at <see cref="Location"/>.</summary>
public sealed class Issuer(IOptions<PortalOptions> options)
{
    public string BaseUrl => options.Value.PublicBaseUrl!;

    /// <summary>The <c>iss</c> of a pool's tokens.</summary>
    public string For(string userPoolId) =>
        options.Value.CognitoIssuer && userPoolId.IndexOf('_') is > 0 and var underscore
            ? $"https://cognito-idp.{userPoolId[..underscore]}.amazonaws.com/{userPoolId}"
            : Location(userPoolId);

    /// <summary>Where Portal publishes a pool's (or key set's) <c>.well-known</c> documents.</summary>
    public string Location(string userPoolId) => $"{BaseUrl}/{userPoolId}";
}
