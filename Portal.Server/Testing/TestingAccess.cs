using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Wire;

namespace Portal.Server.Testing;

/// <summary>Who may call testing mode's endpoints: loopback clients without credentials (as the emulators allow),
/// any other client only with an administrator's SigV4 key or <c>Authorization: Bearer {Portal:Testing:Token}</c>.
/// The client's address is the connection's, never a forwarded header's.</summary>
public sealed class TestingAccess(IOptions<TestingOptions> options, SigV4 sigV4)
{
    public async Task<IResult?> Refusal(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is { } address && IsLoopback(address)) return null;
        var authorization = http.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            var expected = options.Value.Token;
            return !string.IsNullOrEmpty(expected) && FixedTimeEquals(authorization["Bearer ".Length..].Trim(), expected)
                ? null
                : Forbidden("The bearer token is not Portal:Testing:Token.");
        }
        if (authorization.StartsWith(SigV4Scheme, StringComparison.Ordinal))
        {
            http.Request.EnableBuffering();
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            http.Request.Body.Position = 0;
            try
            {
                await sigV4.Verify(http.Request, buffer.ToArray(), http.RequestAborted);
                return null;
            }
            catch (CognitoException e)
            {
                return Forbidden(e.Message);
            }
        }
        return Forbidden("Testing mode answers loopback clients; others need an administrator's SigV4 key or the Portal:Testing:Token bearer token.");
    }

    const string SigV4Scheme = "AWS4-HMAC-SHA256 ";

    static bool IsLoopback(IPAddress address) =>
        IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4()));

    static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    static IResult Forbidden(string message) =>
        Results.Json(new { __type = "AccessDeniedException", message }, statusCode: StatusCodes.Status403Forbidden);
}
