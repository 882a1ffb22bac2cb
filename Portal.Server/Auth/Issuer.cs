using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Portal.Server.Auth;

/// <summary>Where tokens say they come from: <c>{PublicBaseUrl}/{poolId}</c>; without a configured public URL,
/// the scheme and host of the request being served, else the first listening address.</summary>
public sealed class Issuer(IOptions<PortalOptions> options, IHttpContextAccessor http, IServer server, IConfiguration configuration)
{
    public string BaseUrl
    {
        get
        {
            if (!string.IsNullOrEmpty(options.Value.PublicBaseUrl)) return options.Value.PublicBaseUrl.TrimEnd('/');
            if (http.HttpContext?.Request is { Host.HasValue: true } request)
                return $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/');
            var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                            ?? configuration["Urls"]?.Split(';')[0]
                            ?? "http://localhost:5080";
            return listening.Replace("://[::]", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://+", "://localhost").TrimEnd('/');
        }
    }

    public string For(string userPoolId) => $"{BaseUrl}/{userPoolId}";
}
