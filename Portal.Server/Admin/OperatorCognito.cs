using System.Security.Claims;
using Portal.Client.Security;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Admin;

/// <summary>The contract as the admin portal sees it: the engine, behind the signed-in operator's role, with every
/// change written to the audit log (who, what, when, the request without secrets).</summary>
public sealed class OperatorCognito(Dispatcher engine, AuthenticationStateProvider authentication, IServiceScopeFactory scopes, TimeProvider clock)
    : ICognito
{
    static readonly string[] SecretMembers = ["Password", "TemporaryPassword", "ProposedPassword", "PreviousPassword", "ClientSecret", "SecretHash", "ImageFile"];

    public async Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default) where TResponse : new()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var role = OperatorRoles.Of(user);
        var needed = OperatorRoles.Needed(request.GetType());
        var name = global::Portal.Client.Contract.Operations.NameOf(request.GetType());
        if (!OperatorRoles.Allows(role, needed))
            throw new AccessDeniedException(role is null
                ? "You are not signed in to the portal, or your account has no portal role."
                : $"Your role ({role}) may not {name}: it needs the {needed} role.");
        var response = await engine.Send(request, ct);
        if (needed != OperatorRoles.Viewer) await Audit(user, name, request, ct);
        return response;
    }

    async Task Audit(ClaimsPrincipal user, string action, object request, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToNode(request, request.GetType(), CognitoJson.Options)!.AsObject();
        foreach (var secret in SecretMembers) if (json.ContainsKey(secret)) json[secret] = "***";
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.Audit.Add(new AuditEntryRow
        {
            At = clock.GetUtcNow(),
            Actor = user.FindFirst("cognito:username")?.Value ?? user.FindFirst("email")?.Value ?? user.Identity?.Name ?? "unknown",
            Action = action,
            UserPoolId = json["UserPoolId"]?.GetValue<string>(),
            Target = json["Username"]?.GetValue<string>() ?? json["GroupName"]?.GetValue<string>() ?? json["ClientId"]?.GetValue<string>()
                     ?? json["PoolName"]?.GetValue<string>(),
            After = json.ToJsonString(),
        });
        await db.SaveChangesAsync(ct);
    }
}
