using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.UserPools;

namespace Portal.Server.Triggers.Operations;

sealed class PutTriggerFunction(UserPoolStore pools, TriggerFunctions functions, IHostEnvironment environment,
    IOptions<TriggerOptions> options, TimeProvider clock)
    : IOperation<PutTriggerFunctionRequest, PutTriggerFunctionResponse>
{
    public async Task<PutTriggerFunctionResponse> Handle(PutTriggerFunctionRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var trigger = request.Trigger!;
        TriggerFunctions.CheckName(trigger);
        if (request.LambdaVersion is not null && trigger != "PreTokenGeneration")
            throw new InvalidParameterException("LambdaVersion applies to PreTokenGeneration only.", "lambdaVersion");
        var version = trigger == "PreTokenGeneration" ? request.LambdaVersion ?? "V1_0" : null;
        var poolId = pool.Row.Id;
        var now = clock.GetUtcNow();
        string arn;
        StoredFunction? stored = null;
        switch (request.Kind)
        {
            case TriggerTargetKinds.Inline:
                if (string.IsNullOrWhiteSpace(request.Code)) throw new InvalidParameterException("Code is required for an INLINE function.", "code");
                if (InlineJavaScript.SyntaxError(request.Code) is { } error) throw new InvalidParameterException($"The code does not parse: {error}", "code");
                stored = new StoredFunction(TriggerTargetKinds.Inline, request.Code, null, null, version, now);
                arn = TriggerFunctions.PortalArn(poolId, trigger);
                break;
            case TriggerTargetKinds.Webhook:
                if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
                    throw new InvalidParameterException("Url must be an absolute https URL.", "url");
                if (url.Scheme == "http" && !environment.IsDevelopment() && !options.Value.AllowHttpWebhooks)
                    throw new InvalidParameterException("Url must use https (plain http only in Development or with Portal:Triggers:AllowHttpWebhooks).", "url");
                // An update may keep the stored secret; a new webhook needs one.
                var secret = request.Secret is { Length: > 0 } given
                    ? functions.Protect(given)
                    : (await functions.Find(poolId, trigger, ct))?.ProtectedSecret
                      ?? throw new InvalidParameterException("Secret is required for a new WEBHOOK function (16 to 256 characters).", "secret");
                stored = new StoredFunction(TriggerTargetKinds.Webhook, null, request.Url, secret, version, now);
                arn = TriggerFunctions.PortalArn(poolId, trigger);
                break;
            default:
                arn = request.FunctionArn ?? throw new InvalidParameterException("FunctionArn is required for a LAMBDA function.", "functionArn");
                if (TriggerFunctions.TryParsePortalArn(arn, out _, out _))
                    throw new InvalidParameterException("FunctionArn names a Portal function; use INLINE or WEBHOOK to change it.", "functionArn");
                break;
        }

        if (stored is null) await functions.Remove(poolId, trigger, ct);
        else await functions.Put(poolId, trigger, stored, ct);
        UserPoolStore.Write(pool.Row, pool.Settings with { LambdaConfig = TriggerFunctions.With(pool.Settings.LambdaConfig, trigger, arn, version) });
        pool.Row.LastModifiedAt = now;
        await pools.Save(ct);
        return new PutTriggerFunctionResponse { TriggerFunction = Describe(poolId, trigger, arn, version, stored, now) };
    }

    internal static TriggerFunctionType Describe(string poolId, string trigger, string arn, string? version, StoredFunction? stored,
        DateTimeOffset? lastModified) => new()
        {
            UserPoolId = poolId,
            Trigger = trigger,
            Kind = stored?.Kind ?? TriggerTargetKinds.Lambda,
            FunctionArn = arn,
            Code = stored?.Code,
            Url = stored?.Url,
            HasSecret = stored?.Kind == TriggerTargetKinds.Webhook ? stored.ProtectedSecret is not null : null,
            LambdaVersion = trigger == "PreTokenGeneration" ? version ?? "V1_0" : null,
            LastModifiedDate = stored?.LastModified ?? lastModified,
        };
}
