using System.Text.Json.Nodes;
using Portal.Client.Contract;

namespace Portal.Tests.TriggerEngine;

/// <summary>The handler styles Lambda's Node.js runtime accepts run inline unchanged (tried as drafts with TestTrigger).</summary>
[Collection(TriggerCollection.Name)]
public sealed class InlineHandlerTests(TriggerServer server)
{
    async Task<TriggerRunType> Run(string code, string trigger = "PreSignUp", string? source = null)
    {
        var (poolId, _) = await server.CreatePool();
        return (await server.Admin.Send(new TestTriggerRequest { UserPoolId = poolId, Trigger = trigger, TriggerSource = source, Code = code })).Run!;
    }

    static JsonNode Response(TriggerRunType run) => JsonNode.Parse(run.Response!)!["response"]!;

    [Theory]
    [InlineData("exports.handler = async (event) => { event.response.autoConfirmUser = true; return event; };")]
    [InlineData("exports.handler = async (event, context) => { event.response.autoConfirmUser = context.functionName.startsWith('portal-'); return event; };")]
    [InlineData("exports.handler = (event, context, callback) => { event.response.autoConfirmUser = true; callback(null, event); };")]
    [InlineData("exports.handler = function (event, context) { event.response.autoConfirmUser = true; context.succeed(event); };")]
    [InlineData("module.exports = { handler: (event) => { event.response.autoConfirmUser = true; return event; } };")]
    [InlineData("export const handler = async (event) => { event.response.autoConfirmUser = true; return event; };")]
    [InlineData("const confirm = (e) => { e.response.autoConfirmUser = true; return e; };\nexport async function handler(event) { return confirm(event); }")]
    public async Task Every_handler_style_runs(string code)
    {
        var run = await Run(code);
        Assert.True(run.Outcome == "Succeeded", run.Error);
        Assert.True((bool)Response(run)["autoConfirmUser"]!);
    }

    [Fact]
    public async Task Samples_have_cognitos_shape_for_each_source()
    {
        var run = await Run("exports.handler = async (event) => event;", "CustomMessage", "CustomMessage_AdminCreateUser");
        var ev = JsonNode.Parse(run.Event!)!;
        Assert.Equal("1", ev["version"]!.ToString());
        Assert.Equal("CustomMessage_AdminCreateUser", ev["triggerSource"]!.ToString());
        Assert.Equal("{username}", ev["request"]!["usernameParameter"]!.ToString());
        Assert.NotNull(ev["callerContext"]!["awsSdkVersion"]);
        foreach (var trigger in TriggerNames.All)
        {
            var sample = await Run("exports.handler = async (event) => event;", trigger);
            Assert.True(sample.Outcome == "Succeeded", $"{trigger}: {sample.Error}");
            var e = JsonNode.Parse(sample.Event!)!.AsObject();
            Assert.Equal(["version", "triggerSource", "region", "userPoolId", "userName", "callerContext", "request", "response"], e.Select(p => p.Key));
        }
        var wrong = await Assert.ThrowsAsync<InvalidParameterException>(() => Run("exports.handler = e => e;", "PreSignUp", "PostConfirmation_ConfirmSignUp"));
        Assert.StartsWith("TriggerSource of PreSignUp must be one of", wrong.Message);
    }

    [Fact]
    public async Task A_handler_that_returns_nothing_usable_is_an_invalid_lambda_response_in_a_flow()
    {
        var (poolId, clientId) = await server.CreatePool();
        await server.PutInline(poolId, "PreSignUp", "exports.handler = async () => 42;");
        var e = await Assert.ThrowsAsync<InvalidLambdaResponseException>(() => server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = TriggerServer.Unique("ir"), Password = "Passw0rd!x",
        }));
        Assert.Equal("Unrecognizable lambda output", e.Message);
    }
}
