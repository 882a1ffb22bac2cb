using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Iam;

/// <summary>IAM on the Query protocol over real HTTP, as the CLI and SDKs send it: the XML answers (result wrapper,
/// namespace, URL-encoded policy documents, request id) and the XML errors with IAM's codes and statuses.</summary>
[Collection(ServerCollection.Name)]
public sealed class QueryEndpointTests(PortalServer server) : IDisposable
{
    static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";
    readonly HttpClient http = new() { BaseAddress = new Uri(server.BaseUrl + "/") };

    public void Dispose() => http.Dispose();

    const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";

    /// <summary>A Query request signed as botocore signs it (service from the scope, form body).</summary>
    async Task<(HttpStatusCode Status, XDocument Body)> Query(string service, params (string Key, string Value)[] parameters)
    {
        var body = Encoding.UTF8.GetBytes(string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")));
        var amzDate = server.Clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var host = new Uri(server.BaseUrl).Authority;
        var contentType = "application/x-www-form-urlencoded; charset=utf-8";
        var headers = new List<KeyValuePair<string, string>> { new("content-type", contentType), new("host", host), new("x-amz-date", amzDate) };
        var signature = SigV4Signature.Compute(PortalServer.SecretAccessKey, "POST", "/", [], headers, body, amzDate, "us-east-1", service);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(PortalServer.AccessKeyId, amzDate, "us-east-1", service, SigV4Signature.SignedHeaders(headers), signature));
        using var response = await http.SendAsync(request);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task CreateRole_answers_IAMs_XML_with_the_trust_policy_URL_encoded()
    {
        var name = PortalServer.Unique("query");
        var (status, xml) = await Query("iam", ("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", name), ("Path", "/svc/"),
            ("AssumeRolePolicyDocument", Trust), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "identity"));
        Assert.Equal(HttpStatusCode.OK, status);
        var root = xml.Root!;
        Assert.Equal(Iam + "CreateRoleResponse", root.Name);
        var role = root.Element(Iam + "CreateRoleResult")!.Element(Iam + "Role")!;
        Assert.Equal($"arn:aws:iam::000000000000:role/svc/{name}", role.Element(Iam + "Arn")!.Value);
        Assert.Matches("^AROA[A-Z0-9]{17}$", role.Element(Iam + "RoleId")!.Value);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", role.Element(Iam + "CreateDate")!.Value);
        Assert.Equal(Uri.EscapeDataString(Trust), role.Element(Iam + "AssumeRolePolicyDocument")!.Value);
        Assert.Equal("identity", role.Element(Iam + "Tags")!.Element(Iam + "member")!.Element(Iam + "Value")!.Value);
        Assert.True(Guid.TryParse(root.Element(Iam + "ResponseMetadata")!.Element(Iam + "RequestId")!.Value, out _));

        // Without an output, the answer has no Result element.
        (status, xml) = await Query("iam", ("Action", "DeleteRole"), ("Version", "2010-05-08"), ("RoleName", name));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(xml.Root!.Element(Iam + "DeleteRoleResult"));
        Assert.NotNull(xml.Root!.Element(Iam + "ResponseMetadata"));
    }

    [Fact]
    public async Task Errors_are_IAMs_XML_errors_with_their_status()
    {
        var (status, xml) = await Query("iam", ("Action", "GetRole"), ("Version", "2010-05-08"), ("RoleName", "no-such-role"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = xml.Root!.Element("Error")!;
        Assert.Equal("ErrorResponse", xml.Root!.Name.LocalName);
        Assert.Equal("Sender", error.Element("Type")!.Value);
        Assert.Equal("NoSuchEntity", error.Element("Code")!.Value);
        Assert.Equal("The role with name no-such-role cannot be found.", error.Element("Message")!.Value);
        Assert.NotEmpty(xml.Root!.Element("RequestId")!.Value);

        (status, xml) = await Query("iam", ("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", "bad name!"), ("AssumeRolePolicyDocument", Trust));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("ValidationError", xml.Root!.Element("Error")!.Element("Code")!.Value);
        Assert.Contains("'roleName'", xml.Root!.Element("Error")!.Element("Message")!.Value);

        (status, xml) = await Query("iam", ("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", PortalServer.Unique("bad")),
            ("AssumeRolePolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MalformedPolicyDocument", xml.Root!.Element("Error")!.Element("Code")!.Value);

        var name = PortalServer.Unique("dup");
        Assert.Equal(HttpStatusCode.OK, (await Query("iam", ("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", name), ("AssumeRolePolicyDocument", Trust))).Status);
        (status, xml) = await Query("iam", ("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", name.ToUpperInvariant()), ("AssumeRolePolicyDocument", Trust));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("EntityAlreadyExists", xml.Root!.Element("Error")!.Element("Code")!.Value);

        (status, xml) = await Query("iam", ("Action", "CreateUserPool"), ("Version", "2010-05-08"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidAction", xml.Root!.Element("Error")!.Element("Code")!.Value);
    }

    [Fact]
    public async Task ListRoles_pages_with_Marker_and_MaxItems()
    {
        var path = $"/{PortalServer.Unique("page")}/";
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var name = PortalServer.Unique($"p{i}");
            names.Add(name);
            Assert.Equal(HttpStatusCode.OK, (await Query("iam", ("Action", "CreateRole"), ("Version", "2010-05-08"), ("RoleName", name), ("Path", path), ("AssumeRolePolicyDocument", Trust))).Status);
        }
        var seen = new List<string>();
        string? marker = null;
        do
        {
            var parameters = new List<(string, string)> { ("Action", "ListRoles"), ("Version", "2010-05-08"), ("PathPrefix", path), ("MaxItems", "2") };
            if (marker is not null) parameters.Add(("Marker", marker));
            var (status, xml) = await Query("iam", [.. parameters]);
            Assert.Equal(HttpStatusCode.OK, status);
            var result = xml.Root!.Element(Iam + "ListRolesResult")!;
            var page = result.Element(Iam + "Roles")!.Elements(Iam + "member").Select(m => m.Element(Iam + "RoleName")!.Value).ToList();
            Assert.InRange(page.Count, 1, 2);
            seen.AddRange(page);
            marker = result.Element(Iam + "IsTruncated")!.Value == "true" ? result.Element(Iam + "Marker")!.Value : null;
        } while (marker is not null);
        Assert.Equal(names.OrderBy(n => n.ToUpperInvariant(), StringComparer.Ordinal), seen);
    }

    [Fact]
    public async Task A_signed_GET_with_Action_is_a_Query_request()
    {
        var amzDate = server.Clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var host = new Uri(server.BaseUrl).Authority;
        var headers = new List<KeyValuePair<string, string>> { new("host", host), new("x-amz-date", amzDate) };
        var query = new List<KeyValuePair<string, string>> { new("Action", "GetCallerIdentity"), new("Version", "2011-06-15") };
        var signature = SigV4Signature.Compute(PortalServer.SecretAccessKey, "GET", "/", query, headers, [], amzDate, "us-east-1", "sts");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?Action=GetCallerIdentity&Version=2011-06-15");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(PortalServer.AccessKeyId, amzDate, "us-east-1", "sts", SigV4Signature.SignedHeaders(headers), signature));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace sts = "https://sts.amazonaws.com/doc/2011-06-15/";
        Assert.Equal("arn:aws:iam::000000000000:root", xml.Root!.Element(sts + "GetCallerIdentityResult")!.Element(sts + "Arn")!.Value);
        // A GET / without Action is still the portal's.
        using var page = await http.GetAsync("/");
        Assert.NotEqual("text/xml", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task IAM_operations_are_not_served_as_AWS_JSON()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "iam.ListRoles");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UnknownOperationException", await response.Content.ReadAsStringAsync());
    }
}
