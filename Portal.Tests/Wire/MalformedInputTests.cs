using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Wire;

/// <summary>Malformed input, sent as an attacker would: every operation of the contract and every hosted form answers
/// a 4xx with the error shape clients parse, never a 500 and never a hang. The server is this class's own,
/// because the fuzz may change what it reaches.</summary>
public sealed class MalformedInputTests(PortalServer server) : IClassFixture<PortalServer>, IAsyncLifetime
{
    static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(20);
    readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(server.BaseUrl + "/"), Timeout = PerRequest };
    ICognito Cognito => server.Services.GetRequiredService<global::Portal.Server.Engine.Dispatcher>();
    string poolId = "", clientId = "", domain = "";
    const string RedirectUri = "http://localhost/fuzz-callback";

    public async Task InitializeAsync()
    {
        poolId = (await Cognito.Send(new CreateUserPoolRequest { PoolName = PortalServer.Unique("fuzz") })).UserPool!.Id!;
        clientId = (await Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = poolId, ClientName = "fuzz", AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid"], SupportedIdentityProviders = ["COGNITO"], CallbackURLs = [RedirectUri],
            ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        })).UserPoolClient!.ClientId!;
        domain = PortalServer.Unique("fuzz");
        await Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = poolId, Domain = domain });
    }

    public Task DisposeAsync()
    {
        http.Dispose();
        return Task.CompletedTask;
    }

    // ---- SigV4 (item 11) -------------------------------------------------------------------------------------------------

    HttpRequestMessage Json(string target, string body, Func<List<KeyValuePair<string, string>>, string, List<KeyValuePair<string, string>>>? signed = null,
        Func<string, string>? authorization = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var message = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        message.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        if (signed is null) return message;
        var amzDate = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        message.Headers.Add("X-Amz-Date", amzDate);
        var all = new List<KeyValuePair<string, string>>
        {
            new("content-type", "application/x-amz-json-1.1"), new("host", $"127.0.0.1:{server.Port}"),
            new("x-amz-date", amzDate), new("x-amz-target", target),
        };
        var headers = signed(all, target);
        var signature = SigV4Signature.Compute(PortalServer.SecretAccessKey, "POST", "/", [], headers, bytes, amzDate, "us-east-1", "cognito-idp");
        var value = SigV4Signature.Authorization(PortalServer.AccessKeyId, amzDate, "us-east-1", "cognito-idp", SigV4Signature.SignedHeaders(headers), signature);
        message.Headers.TryAddWithoutValidation("Authorization", authorization?.Invoke(value) ?? value);
        return message;
    }

    static List<KeyValuePair<string, string>> AllHeaders(List<KeyValuePair<string, string>> all, string target) => all;

    async Task<(HttpStatusCode Status, string? Type, string? Message)> Send(HttpRequestMessage message)
    {
        using var response = await http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var doc = JsonDocument.Parse(text);
            return (response.StatusCode, doc.RootElement.TryGetProperty("__type", out var t) ? t.GetString() : null,
                doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() : null);
        }
        catch (JsonException)
        {
            return (response.StatusCode, null, text);
        }
    }

    [Fact]
    public async Task A_signature_that_leaves_out_the_target_is_refused()
    {
        // Signed over host and date only: the target could be swapped for any operation under the same signature.
        var (status, type, message) = await Send(Json("AWSCognitoIdentityProviderService.ListUserPools", """{"MaxResults":10}""",
            (all, _) => all.Where(h => h.Key is "host" or "x-amz-date").ToList()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("IncompleteSignatureException", type);
        Assert.Contains("X-Amz-Target", message);

        var signed = await Send(Json("AWSCognitoIdentityProviderService.ListUserPools", """{"MaxResults":10}""", AllHeaders));
        Assert.Equal(HttpStatusCode.OK, signed.Status);
    }

    [Theory]
    [InlineData("Credential")]
    [InlineData("SignedHeaders")]
    [InlineData("Signature")]
    public async Task A_field_given_twice_in_the_authorization_is_IncompleteSignature(string field)
    {
        var (status, type, message) = await Send(Json("AWSCognitoIdentityProviderService.ListUserPools", """{"MaxResults":10}""", AllHeaders,
            value => value + ", " + value.Split(' ', 2)[1].Split(", ").First(p => p.StartsWith(field + "=", StringComparison.Ordinal))));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("IncompleteSignatureException", type);
        Assert.Contains(field, message);
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 ")]
    [InlineData("AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIATESTPORTAL000001/2020/us-east-1, SignedHeaders=host, Signature=00")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIATESTPORTAL000001/20200101/us-east-1/cognito-idp/aws4_request, SignedHeaders=;;;, Signature=zz")]
    [InlineData("AWS4-HMAC-SHA256 Credential==/=/=/=/aws4_request, SignedHeaders==, Signature==")]
    [InlineData("AWS4-HMAC-SHA256,,,,==,")]
    [InlineData("Bearer abc")]
    public async Task A_malformed_authorization_is_an_AWS_error(string authorization)
    {
        var message = Json("AWSCognitoIdentityProviderService.ListUserPools", """{"MaxResults":10}""");
        message.Headers.TryAddWithoutValidation("Authorization", authorization);
        message.Headers.TryAddWithoutValidation("X-Amz-Date", "20200101T000000Z");
        var (status, type, text) = await Send(message);
        Assert.InRange((int)status, 400, 499);
        Assert.NotNull(type);
        Assert.NotNull(text);
    }

    // ---- malformed JSON (item 16) ----------------------------------------------------------------------------------------

    static readonly string[] ClientErrors = ["SerializationException", "InvalidParameterException"];

    [Fact]
    public async Task A_null_in_a_list_on_unsigned_SignUp_is_InvalidParameter()
    {
        var (status, type, message) = await Send(Json("AWSCognitoIdentityProviderService.SignUp",
            $$"""{"ClientId":"{{clientId}}","Username":"fuzz-user","Password":"Fuzz-Passw0rd!","UserAttributes":[null]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("InvalidParameterException", type);
        Assert.Contains("'userAttributes.1.member'", message);
    }

    [Fact]
    public async Task A_null_in_a_map_is_read_as_not_sent()
    {
        // amazon-cognito-identity-js resends a sign-in with DEVICE_KEY: null once its device is forgotten; Cognito reads
        // the null as a parameter not sent, and so does Portal: the sign-in goes on to the password check.
        var (status, type, message) = await Send(Json("AWSCognitoIdentityProviderService.InitiateAuth",
            $$$"""{"ClientId":"{{{clientId}}}","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"nobody-{{{Guid.NewGuid():n}}}","PASSWORD":"Fuzz-Passw0rd!","DEVICE_KEY":null},"ClientMetadata":{"k":null}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(type is "NotAuthorizedException" or "UserNotFoundException", $"{type}: {message}");
    }

    [Theory]
    [InlineData("""{"ClientId":{"a":1}}""")]
    [InlineData("""{"ClientId":"x","Username":"u","Password":"p","ValidationData":[{"Name":1}]}""")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"text\"")]
    [InlineData("{\"ClientId\":")]
    public async Task A_malformed_SignUp_body_is_a_client_error(string body)
    {
        var (status, type, message) = await Send(Json("AWSCognitoIdentityProviderService.SignUp", body));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(type, ClientErrors);
        Assert.False(string.IsNullOrEmpty(message));
    }

    [Fact]
    public async Task Deep_nesting_invalid_UTF8_and_oversized_bodies_are_client_errors()
    {
        var deep = "{\"ClientId\":" + new string('[', 200) + new string(']', 200) + "}";
        var nested = await Send(Json("AWSCognitoIdentityProviderService.SignUp", deep));
        Assert.Equal(HttpStatusCode.BadRequest, nested.Status);
        Assert.Contains(nested.Type, ClientErrors);

        var invalid = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new ByteArrayContent([.. "{\"ClientId\":\""u8.ToArray(), 0xFF, 0xFE, 0xC3, .. "\"}"u8.ToArray()]),
        };
        invalid.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp");
        var utf8 = await Send(invalid);
        Assert.Equal(HttpStatusCode.BadRequest, utf8.Status);
        Assert.Contains(utf8.Type, ClientErrors);

        var huge = await Send(Json("AWSCognitoIdentityProviderService.SignUp", $"{{\"ClientId\":\"{new string('a', 2 * 1024 * 1024)}\"}}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Equal("RequestEntityTooLargeException", huge.Type);
    }

    // ---- the fuzz over the contract ------------------------------------------------------------------------------------

    [Fact]
    public async Task Every_operation_answers_malformed_requests_with_an_AWS_error()
    {
        var requests = Operations.RequestTypes.OrderBy(t => t.Name)
            .SelectMany(t => Variants(t).Select(body => (Target: Operations.TargetOf(t), Body: body)))
            .ToList();
        Assert.True(requests.Count > 1000, $"only {requests.Count} variants");

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(requests.SelectMany(r => new[] { (r.Target, r.Body, Signed: false), (r.Target, r.Body, Signed: true) }),
            new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, _) =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(r.Body) };
                message.Content.Headers.ContentType = new("application/x-amz-json-1.1");
                message.Headers.TryAddWithoutValidation("X-Amz-Target", r.Target);
                if (r.Signed) Sign(message, r.Target, r.Body);
                var shown = $"{(r.Signed ? "signed" : "unsigned")} {r.Target} {Shorten(r.Body)}";
                try
                {
                    var (status, type, text) = await Send(message);
                    if ((int)status >= 500) failures.Add($"{(int)status} {type} {text}: {shown}");
                    else if ((int)status >= 400 && (type is null || text is null)) failures.Add($"{(int)status} without __type/message: {shown}");
                }
                catch (TaskCanceledException)
                {
                    failures.Add($"no answer within {PerRequest.TotalSeconds} s: {shown}");
                }
            });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Count * 2} requests failed:\n" + string.Join("\n", failures.Take(30)));
    }

    void Sign(HttpRequestMessage message, string target, byte[] body)
    {
        var amzDate = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        message.Headers.Add("X-Amz-Date", amzDate);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("content-type", "application/x-amz-json-1.1"), new("host", $"127.0.0.1:{server.Port}"),
            new("x-amz-date", amzDate), new("x-amz-target", target),
        };
        var signature = SigV4Signature.Compute(PortalServer.SecretAccessKey, "POST", "/", [], headers, body, amzDate, "us-east-1", "cognito-idp");
        message.Headers.TryAddWithoutValidation("Authorization",
            SigV4Signature.Authorization(PortalServer.AccessKeyId, amzDate, "us-east-1", "cognito-idp", SigV4Signature.SignedHeaders(headers), signature));
    }

    static string Shorten(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length > 160 ? text[..160] + $"… ({text.Length} chars)" : text;
    }

    /// <summary>At most 15 malformed bodies of one operation: 7 whole-body ones, then one wrong value per member in turn,
    /// every other member holding a plausible value so the wrong one reaches as deep as it can.</summary>
    IEnumerable<byte[]> Variants(Type requestType)
    {
        var members = requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        var first = members.FirstOrDefault()?.Name ?? "Anything";
        yield return [];
        yield return "null"u8.ToArray();
        yield return "[{}]"u8.ToArray();
        yield return Encoding.UTF8.GetBytes($"{{\"{first}\":");
        yield return [.. Encoding.UTF8.GetBytes($"{{\"{first}\":\""), 0xC3, 0x28, 0xFF, .. "\"}"u8.ToArray()];
        yield return Encoding.UTF8.GetBytes($"{{\"{first}\":{new string('[', 100)}{new string(']', 100)}}}");
        yield return Encoding.UTF8.GetBytes($"{{\"FuzzUnknown\":{{\"a\":[1,{{\"b\":null}}]}},\"{first}\":{{}}}}");

        var plausible = members.ToDictionary(p => p.Name, Plausible);
        var mutations = members.Select(p => Mutations(p.PropertyType).Select(m => (p.Name, Value: m)).ToList()).ToList();
        var count = 0;
        for (var round = 0; count < 8 && mutations.Any(m => m.Count > round); round++)
            foreach (var m in mutations.Where(m => m.Count > round))
            {
                if (count++ == 8) break;
                var (name, value) = m[round];
                var body = plausible.Where(p => p.Key != name && p.Value is not null).Select(p => $"\"{p.Key}\":{p.Value}").Append($"\"{name}\":{value}");
                yield return Encoding.UTF8.GetBytes("{" + string.Join(",", body) + "}");
            }
    }

    string? Plausible(PropertyInfo p) => p.Name switch
    {
        "UserPoolId" => $"\"{poolId}\"",
        "ClientId" => $"\"{clientId}\"",
        "Username" => "\"fuzz-user\"",
        "Password" or "ProposedPassword" or "PreviousPassword" or "TemporaryPassword" => "\"Fuzz-Passw0rd!\"",
        "Domain" => $"\"{PortalServer.Unique("fuzzd")}\"",
        _ when p.GetCustomAttribute<RequiredAttribute>() is null => null,
        _ when p.PropertyType == typeof(string) => "\"fuzz\"",
        _ when (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType).IsPrimitive => "1",
        _ when typeof(IDictionary).IsAssignableFrom(p.PropertyType) => "{}",
        _ when typeof(IEnumerable).IsAssignableFrom(p.PropertyType) => "[]",
        _ => "{}",
    };

    /// <summary>Wrong values for a member of this type, most telling first.</summary>
    static IEnumerable<string> Mutations(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var huge = $"\"{new string('x', 300_000)}\"";
        if (t == typeof(string)) return ["12345", "{\"a\":1}", huge, "\"fu\\u0000zz\\ud800\""];
        if (t == typeof(bool)) return ["\"yes\"", "[]"];
        if (t == typeof(int) || t == typeof(long) || t == typeof(double)) return ["\"x\"", "1e400", "99999999999999999999"];
        if (t == typeof(DateTimeOffset)) return ["\"not a date\"", "1e300", "{}"];
        if (t == typeof(byte[])) return ["\"!!not base64\"", "[1,\"x\"]"];
        if (t.IsEnum) return ["\"NOT_A_VALUE\"", "7"];
        if (typeof(IDictionary).IsAssignableFrom(t)) return ["{\"k\":null}", "[]", "{\"k\":{\"n\":1}}", "{\"" + new string('k', 100_000) + "\":\"v\"}"];
        if (typeof(IEnumerable).IsAssignableFrom(t)) return ["[null]", "\"x\"", "[{\"Fuzz\":[1]},12]", "[" + string.Join(",", Enumerable.Repeat("{}", 5000)) + "]"];
        return ["[]", "\"x\"", "{\"FuzzUnknown\":{\"a\":null}}", "null"];
    }

    // ---- hosted forms (item 17) ------------------------------------------------------------------------------------------

    string Query => $"?client_id={clientId}&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(RedirectUri)}" +
                    "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";

    static HttpContent Form(string body, string contentType = "application/x-www-form-urlencoded")
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    /// <summary>Form bodies that do not parse, or parse into what no sign-in form holds.</summary>
    static IEnumerable<(string Name, Func<HttpContent> Content)> BrokenForms() =>
    [
        ("NUL", () => Form("username=%00&password=a%00b&code=%00")),
        ("broken percent-encoding", () => Form("username=%E0%A4%A&password=%&code=%ZZ%")),
        ("invalid UTF-8", () => Form("username=%C3%28%FF&password=\u00ff\u00fe")),
        ("1,100 fields", () => Form(string.Join("&", Enumerable.Range(0, 1100).Select(i => $"f{i}=v")))),
        ("oversized value", () => Form("username=" + new string('a', 200_000) + "&password=x")),
        ("oversized key", () => Form(new string('k', 20_000) + "=v")),
        ("broken multipart", () => Form("--XYZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nabc", "multipart/form-data; boundary=XYZ")),
        ("multipart without boundary", () => Form("username=a", "multipart/form-data")),
        ("multipart with a huge header", () => Form("--XYZ\r\nContent-Disposition: form-data; name=\"" + new string('n', 40_000) + "\"\r\n\r\nv\r\n--XYZ--\r\n",
            "multipart/form-data; boundary=XYZ")),
        ("body over 1 MiB", () => Form("username=" + string.Join("&a=", Enumerable.Repeat(new string('b', 1000), 1200)))),
    ];

    [Theory]
    [InlineData("NUL")]
    [InlineData("1,100 fields")]
    [InlineData("oversized value")]
    [InlineData("broken multipart")]
    public async Task An_unreadable_login_form_gets_the_branded_error_page(string name)
    {
        var content = BrokenForms().Single(f => f.Name == name).Content();
        using var response = await http.PostAsync($"/{domain}/login{Query}", content);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode} {response.Headers.Location}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("could not be read", html);
        Assert.DoesNotContain("Exception", html);
        Assert.True(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task Every_hosted_form_answers_broken_bodies_without_a_server_error()
    {
        // The forms are the routes of a pool's domain (and the IdPs' way back) that take POST, as the server maps them.
        var routes = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/') is { } route
                        && (route.StartsWith("{domain}/", StringComparison.Ordinal) || route.StartsWith("oauth2/", StringComparison.Ordinal) || route.StartsWith("saml2/", StringComparison.Ordinal))
                        && e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/').Replace("{domain}", domain))
            .Distinct().ToList();
        Assert.Contains($"/{domain}/login", routes);
        Assert.Contains($"/{domain}/oauth2/token", routes);

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(routes.SelectMany(_ => BrokenForms(), (route, form) => (route, form)), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (r, ct) =>
            {
                try
                {
                    using var response = await http.PostAsync(r.route + Query, r.form.Content(), ct);
                    var text = await response.Content.ReadAsStringAsync(ct);
                    if ((int)response.StatusCode >= 500) failures.Add($"{(int)response.StatusCode} {r.route} ({r.form.Name}): {text.Split('\n')[0][..Math.Min(200, text.Split('\n')[0].Length)]}");
                }
                catch (TaskCanceledException)
                {
                    failures.Add($"no answer: {r.route} ({r.form.Name})");
                }
            });
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
    }
}
