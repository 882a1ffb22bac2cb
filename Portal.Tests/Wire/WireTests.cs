using System.Net;
using System.Text;
using System.Text.Json;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Wire;

/// <summary>The AWS JSON 1.1 endpoint over real HTTP: signatures, errors, and the same records as in process.</summary>
[Collection(ServerCollection.Name)]
public sealed class WireTests(PortalServer server) : IDisposable
{
    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl + "/") };

    public void Dispose() => http.Dispose();

    RemoteCognito Signed(string secret = PortalServer.SecretAccessKey, string key = PortalServer.AccessKeyId) =>
        new(http, new RemoteCognito.Credentials(key, secret));

    [Fact]
    public async Task Health_and_metrics_respond()
    {
        var health = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("# TYPE", metrics);
    }

    [Fact]
    public async Task Signed_request_lists_the_bootstrapped_pools()
    {
        var pools = await Signed().Send(new ListUserPoolsRequest { MaxResults = 10 });
        Assert.Contains(pools.UserPools!, p => p.Name == "portal-admin");
        Assert.Contains(pools.UserPools!, p => p.Name == "demo");
        Assert.All(pools.UserPools!, p => Assert.Matches("^us-east-1_[0-9A-Za-z]{9}$", p.Id!));
    }

    [Fact]
    public async Task Unsigned_admin_request_is_refused()
    {
        var e = await Assert.ThrowsAsync<MissingAuthenticationTokenException>(() =>
            new RemoteCognito(http, null).Send(new ListUserPoolsRequest { MaxResults = 10 }));
        Assert.Equal("Missing Authentication Token", e.Message);
    }

    [Fact]
    public async Task Wrong_secret_is_refused_with_InvalidSignature()
    {
        await Assert.ThrowsAsync<InvalidSignatureException>(() =>
            Signed(secret: "not-the-secret").Send(new ListUserPoolsRequest { MaxResults = 10 }));
    }

    [Fact]
    public async Task Unknown_access_key_is_refused_with_UnrecognizedClient()
    {
        await Assert.ThrowsAsync<UnrecognizedClientException>(() =>
            Signed(key: "AKIAUNKNOWN000000000").Send(new ListUserPoolsRequest { MaxResults = 10 }));
    }

    [Fact]
    public async Task Missing_required_member_names_the_member()
    {
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Signed().Send(new DescribeUserPoolRequest()));
        Assert.Contains("'userPoolId'", e.Message);
        Assert.Contains("must not be null", e.Message);
    }

    [Fact]
    public async Task Pattern_violation_names_the_member()
    {
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Signed().Send(new DescribeUserPoolRequest { UserPoolId = "no pool" }));
        Assert.Contains("'userPoolId'", e.Message);
        Assert.Contains("regular expression", e.Message);
    }

    [Fact]
    public async Task Unknown_pool_is_ResourceNotFound()
    {
        var e = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            Signed().Send(new DescribeUserPoolRequest { UserPoolId = "us-east-1_Nonexist0" }));
        Assert.Contains("us-east-1_Nonexist0", e.Message);
    }

    [Fact]
    public async Task Errors_are_http_400_with_type_and_message()
    {
        var response = await Raw("AWSCognitoIdentityProviderService.NoSuchOperation", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("UnknownOperationException", body.RootElement.GetProperty("__type").GetString());
        Assert.Contains("NoSuchOperation", body.RootElement.GetProperty("message").GetString());
        Assert.Equal("UnknownOperationException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    [Fact]
    public async Task Wrong_member_type_is_InvalidParameter_naming_the_member()
    {
        var response = await Raw("AWSCognitoIdentityProviderService.SignUp", """{"ClientId":"abc","Username":42}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("InvalidParameterException", body.RootElement.GetProperty("__type").GetString());
        Assert.Contains("Username", body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_validation_error_names_its_member_beside_type_and_message_and_the_remote_client_reads_it_back()
    {
        var response = await Raw("AWSCognitoIdentityProviderService.SignUp", """{"ClientId":"abc","Username":42}""");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Username", body.RootElement.GetProperty("member").GetString());

        var pool = (await Signed().Send(new CreateUserPoolRequest { PoolName = "member-" + Guid.NewGuid().ToString("n")[..8] })).UserPool!.Id!;
        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => Signed().Send(new UpdateUserPoolRequest
        {
            UserPoolId = pool, EmailConfiguration = new EmailConfigurationType { ReplyToEmailAddress = new string('x', 300) },
        }));
        Assert.Equal("emailConfiguration.replyToEmailAddress", refused.Member);
        Assert.Contains("'emailConfiguration.replyToEmailAddress'", refused.Message);
    }

    Task<HttpResponseMessage> Raw(string target, string json)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        message.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        message.Headers.Add("X-Amz-Target", target);
        return http.SendAsync(message);
    }
}
