using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;
using Portal.Server.Auth;
using Portal.Server.Gateway.Alb;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gateway;

/// <summary>The parts of the ALB route: the session cookie sharded at 4 KB as ALB shards it, the session sealed with
/// Data Protection, and x-amzn-oidc-data signed ES256 with the key published as PEM.</summary>
public sealed class AlbPartsTests(PortalServer server) : IClassFixture<PortalServer>
{
    [Fact]
    public void A_large_session_is_split_into_ordered_shards_of_at_most_4000_characters_and_read_back_whole()
    {
        var value = new string('a', 3000) + new string('b', 3000) + new string('c', 3000);
        var shards = AlbSessionCookies.Shard(value);
        Assert.Equal(3, shards.Count);
        Assert.All(shards, s => Assert.True(s.Length <= AlbSessionCookies.ShardSize));

        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = "AWSELBAuthSessionCookie-3=stale; AWSELBAuthSessionCookie-0=old";
        Assert.True(AlbSessionCookies.Write(http, "AWSELBAuthSessionCookie", value, new CookieOptions { Path = "/app", HttpOnly = true }));
        var set = SetCookieHeaderValue.ParseList(http.Response.Headers.SetCookie.Select(v => v ?? "").ToList());
        Assert.Equal(["AWSELBAuthSessionCookie-0", "AWSELBAuthSessionCookie-1", "AWSELBAuthSessionCookie-2", "AWSELBAuthSessionCookie-3"],
            set.Select(c => c.Name.Value));
        // The fourth shard of an earlier, larger session is expired so that it is not read as part of this one.
        Assert.True(set[3].Expires < DateTimeOffset.UnixEpoch.AddYears(1));
        Assert.All(set.Take(3), c => Assert.True(c.HttpOnly && c.Path == "/app" && Encoding.ASCII.GetByteCount($"{c.Name}={c.Value}") < 4096));

        var browser = new DefaultHttpContext();
        browser.Request.Headers.Cookie = string.Join("; ", set.Take(3).Select(c => $"{c.Name}={c.Value}"));
        Assert.Equal(value, AlbSessionCookies.Read(browser.Request.Cookies, "AWSELBAuthSessionCookie"));

        Assert.False(AlbSessionCookies.Write(new DefaultHttpContext(), "AWSELBAuthSessionCookie", new string('x', 4 * 4000 + 1), new CookieOptions()));
    }

    [Fact]
    public void A_session_opens_only_on_its_route_before_it_ends_and_untampered()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-04T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var cookies = new AlbSessionCookies(server.Services.GetRequiredService<IDataProtectionProvider>(), clock);
        var sealedValue = cookies.Protect(new AlbSession("notes", "sub-1", "{\"sub\":\"sub-1\"}", "access-token", clock.GetUtcNow().AddHours(1)));

        Assert.DoesNotContain("access-token", Encoding.UTF8.GetString(Jwt.FromBase64Url(sealedValue)), StringComparison.Ordinal);
        Assert.Equal("sub-1", cookies.Unprotect(sealedValue, "notes")!.Sub);
        Assert.Null(cookies.Unprotect(sealedValue, "other-route"));
        Assert.Null(cookies.Unprotect(sealedValue[..^3] + (sealedValue[^3] == 'A' ? "BBB" : "AAA"), "notes"));
        Assert.Null(cookies.Unprotect("not base64!", "notes"));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(cookies.Unprotect(sealedValue, "notes"));
    }

    [Fact]
    public async Task The_oidc_data_is_ES256_with_ALBs_header_and_verifies_with_the_published_PEM()
    {
        var key = server.Services.GetRequiredService<AlbSigningKey>();
        var token = await key.Sign(new JsonObject { ["signer"] = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/notes/0123456789abcdef", ["client"] = "client-1" },
            new JsonObject { ["sub"] = "sub-1", ["email"] = "a@example.com" }, CancellationToken.None);
        var parts = token.Split('.');
        // ALB's segments are base64url with padding (the signature's 64 bytes end in "==").
        Assert.EndsWith("==", parts[2], StringComparison.Ordinal);
        Assert.All(parts, p => Assert.Equal(0, p.Length % 4));
        static byte[] Decode(string segment) => Jwt.FromBase64Url(segment.TrimEnd('='));
        var header = JsonNode.Parse(Decode(parts[0]))!.AsObject();
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        var kid = header["kid"]!.GetValue<string>();
        Assert.True(Guid.TryParse(kid, out _));
        Assert.Equal("client-1", header["client"]!.GetValue<string>());

        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri($"{server.BaseUrl}/gateway/alb-keys/{kid}"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var pem = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem, StringComparison.Ordinal);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Decode(parts[2]), HashAlgorithmName.SHA256));
        Assert.False(ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}x"), Decode(parts[2]), HashAlgorithmName.SHA256));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"{server.BaseUrl}/gateway/alb-keys/{Guid.NewGuid()}"))).StatusCode);
    }
}
