using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;
using Portal.Tests.Sync;

namespace Portal.Tests.Wire;

/// <summary>Every operation of the three official API models (cognito-idp, cognito-identity, cognito-sync; their names,
/// and for Sync its REST routes, are kept in <c>aws-model-operations.json</c>, taken from AWS's published models) is
/// served: sent as an SDK sends it, none answers UnknownOperationException, an unrouted 404 or a 5xx.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class EveryOperationTests(PortalServer server)
{
    static readonly JsonElement Models = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(PortalServer.RepositoryRoot, "Portal.Tests", "Wire", "aws-model-operations.json"))).RootElement;

    static IEnumerable<string> Names(string service) =>
        Models.GetProperty(service).GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("name").GetString()!);

    /// <summary>Operations of the model Portal does not serve yet: none since log delivery (issue #22). The test checks each
    /// listed one still answers UnknownOperationException, so the list could only shrink.</summary>
    static readonly string[] NotYetServed = [];

    [Theory]
    [InlineData("cognito-idp", 122)]
    [InlineData("cognito-identity", 23)]
    public async Task Every_JSON_operation_of_the_model_is_served(string service, int count)
    {
        var prefix = Models.GetProperty(service).GetProperty("targetPrefix").GetString()!;
        var names = Names(service).ToList();
        Assert.Equal(count, names.Count);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var unserved = new List<string>();
        foreach (var name in names)
        {
            var target = $"{prefix}.{name}";
            var body = "{}"u8.ToArray();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            var amzDate = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            var headers = new List<KeyValuePair<string, string>>
            {
                new("content-type", "application/x-amz-json-1.1"), new("host", $"127.0.0.1:{server.Port}"),
                new("x-amz-date", amzDate), new("x-amz-target", target),
            };
            var signature = SigV4Signature.Compute(PortalServer.SecretAccessKey, "POST", "/", [], headers, body, amzDate, "us-east-1", service);
            request.Headers.TryAddWithoutValidation("Authorization",
                SigV4Signature.Authorization(PortalServer.AccessKeyId, amzDate, "us-east-1", service, SigV4Signature.SignedHeaders(headers), signature));
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var unknown = text.Contains("UnknownOperationException", StringComparison.Ordinal);
            if ((int)response.StatusCode >= 500 || unknown != NotYetServed.Contains(name))
                unserved.Add($"{name}: {(int)response.StatusCode} {text}");
        }
        Assert.True(unserved.Count == 0, $"{unserved.Count} of {names.Count} {service} operations answer otherwise than expected " +
            $"(served, or listed as not yet served):\n{string.Join("\n", unserved)}");
    }

    [Fact]
    public async Task Every_REST_route_of_the_Sync_model_is_served()
    {
        var kit = new SyncKit(server);
        var operations = Models.GetProperty("cognito-sync").GetProperty("operations").EnumerateArray().ToList();
        Assert.Equal(17, operations.Count);
        var unserved = new List<string>();
        foreach (var op in operations)
        {
            var name = op.GetProperty("name").GetString()!;
            // Labels filled with well-formed ids of things that do not exist: the answer is the service's own error.
            var uri = Label().Replace(op.GetProperty("uri").GetString()!, m => m.Groups[1].Value switch
            {
                "IdentityPoolId" => "us-east-1:00000000-0000-4000-8000-000000000000",
                "IdentityId" => "us-east-1:00000000-0000-4000-8000-000000000001",
                "DeviceId" => "device-1",
                _ => "absent",
            });
            var method = op.GetProperty("method").GetString()!;
            try
            {
                var answer = await kit.Call(SyncKit.Developer, method, uri, method is "POST" or "PUT" ? new Dictionary<string, object>() : null);
                if (answer.Status >= 500 || (answer.Status == 404 && answer.ErrorType is null))
                    unserved.Add($"{name} {method} {uri}: {answer.Status} {answer.ErrorType} {answer.Body}");
            }
            catch (JsonException)
            {
                unserved.Add($"{name} {method} {uri}: answered something other than the service's JSON");
            }
        }
        Assert.True(unserved.Count == 0, $"{unserved.Count} Sync routes are not served:\n{string.Join("\n", unserved)}");
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Label();
}
