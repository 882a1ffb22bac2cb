using Microsoft.Extensions.Options;

namespace Portal.Server.Auth;

/// <summary>Where tokens say they come from: <c>{PublicBaseUrl}/{poolId}</c>, the public URL decided at start-up
/// (<see cref="PublicUrl"/>), never the request's Host.</summary>
public sealed class Issuer(IOptions<PortalOptions> options)
{
    public string BaseUrl => options.Value.PublicBaseUrl!;

    public string For(string userPoolId) => $"{BaseUrl}/{userPoolId}";
}
