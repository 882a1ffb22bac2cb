using System.Security.Claims;
using Portal.Client.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Admin;

/// <summary>The contract as the admin portal sees it: the engine, behind the signed-in operator's role, with every
/// change written to the audit log (who, what, when, the state before and the request, without secrets).</summary>
public sealed class OperatorCognito(Dispatcher engine, AuthenticationStateProvider authentication, IServiceScopeFactory scopes, TimeProvider clock,
    AdministrationPool administration)
    : ICognito
{
    /// <summary>ProviderDetails keys that hold an identity provider's secrets.</summary>
    static readonly string[] SecretProviderDetails = ["client_secret", "private_key"];
    public const string Hidden = "********";

    static readonly string[] SecretMembers = ["Password", "TemporaryPassword", "ProposedPassword", "PreviousPassword", "ClientSecret", "SecretHash", "ImageFile", "BackgroundImageFile"];

    // Previews change nothing an operator could undo: auditing every keystroke of the branding editor would bury the log.
    static readonly HashSet<string> NotAudited = ["CreateBrandingPreview"];

    public async Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default) where TResponse : new()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var role = OperatorRoles.Of(user);
        var inAdministrationPool = administration.UserPoolId is { } adminPool && Member(request, "UserPoolId") == adminPool;
        var needed = OperatorRoles.Needed(request.GetType(), inAdministrationPool);
        var name = global::Portal.Client.Contract.Operations.NameOf(request.GetType());
        if (!OperatorRoles.Allows(role, needed))
            throw new AccessDeniedException(role is null
                ? "You are not signed in to the portal, or your account has no portal role."
                : inAdministrationPool
                    ? $"Your role ({role}) may not {name} in the administration pool: its groups are the portal's roles, so only administrators change it."
                    : $"Your role ({role}) may not {name}: it needs the {needed} role.");
        var audited = needed != OperatorRoles.Viewer && !NotAudited.Contains(name);
        var before = audited ? await Before(request, ct) : null;
        var response = await engine.Send(request, ct);
        if (audited) await Audit(user, name, request, before, ct);
        return role == OperatorRoles.Administrator ? response : Masked(response);
    }

    /// <summary>The response as a viewer or operator may see it: client secrets and identity providers' keys hidden.</summary>
    static TResponse Masked<TResponse>(TResponse response) => response switch
    {
        DescribeUserPoolClientResponse { UserPoolClient.ClientSecret: not null } r =>
            (TResponse)(object)(r with { UserPoolClient = r.UserPoolClient with { ClientSecret = Hidden } }),
        DescribeIdentityProviderResponse { IdentityProvider: { } idp } r =>
            (TResponse)(object)(r with { IdentityProvider = Masked(idp) }),
        GetIdentityProviderByIdentifierResponse { IdentityProvider: { } idp } r =>
            (TResponse)(object)(r with { IdentityProvider = Masked(idp) }),
        _ => response,
    };

    static IdentityProviderType Masked(IdentityProviderType idp) => idp.ProviderDetails is not { } details ? idp : idp with
    {
        ProviderDetails = details.ToDictionary(d => d.Key, d => SecretProviderDetails.Contains(d.Key) && d.Value.Length > 0 ? Hidden : d.Value),
    };

    /// <summary>What an update or delete is about to change, as the engine describes it (null for creations and for what
    /// cannot be described, e.g. a user that does not exist: the operation then fails and nothing is logged).</summary>
    async Task<object?> Before(object request, CancellationToken ct)
    {
        try
        {
            switch (request)
            {
                case UpdateUserPoolRequest or DeleteUserPoolRequest:
                    return (await engine.Send(new DescribeUserPoolRequest { UserPoolId = Member(request, "UserPoolId") }, ct)).UserPool;
                case UpdateUserPoolClientRequest or DeleteUserPoolClientRequest:
                    return (await engine.Send(new DescribeUserPoolClientRequest
                    {
                        UserPoolId = Member(request, "UserPoolId"), ClientId = Member(request, "ClientId"),
                    }, ct)).UserPoolClient;
                case UpdateGroupRequest or DeleteGroupRequest:
                    return (await engine.Send(new GetGroupRequest { UserPoolId = Member(request, "UserPoolId"), GroupName = Member(request, "GroupName") }, ct)).Group;
                case UpdateResourceServerRequest or DeleteResourceServerRequest:
                    return (await engine.Send(new DescribeResourceServerRequest
                    {
                        UserPoolId = Member(request, "UserPoolId"), Identifier = Member(request, "Identifier"),
                    }, ct)).ResourceServer;
                case SetUICustomizationRequest r:
                    return (await engine.Send(new GetUICustomizationRequest { UserPoolId = r.UserPoolId, ClientId = r.ClientId }, ct)).UICustomization;
                case SetHostedUiThemeRequest r:
                    return (await engine.Send(new GetHostedUiThemeRequest { UserPoolId = r.UserPoolId, ClientId = r.ClientId }, ct)).HostedUiTheme;
                case AdminAddUserToGroupRequest or AdminRemoveUserFromGroupRequest:
                {
                    var (pool, username) = (Member(request, "UserPoolId"), Member(request, "Username"));
                    var groups = await engine.Send(new AdminListGroupsForUserRequest { UserPoolId = pool, Username = username, Limit = 60 }, ct);
                    return new { Username = username, Groups = (groups.Groups ?? []).Select(g => g.GroupName).ToList() };
                }
                case not AdminCreateUserRequest when global::Portal.Client.Contract.Operations.NameOf(request.GetType()).StartsWith("Admin", StringComparison.Ordinal)
                                                     && Member(request, "Username") is { } username && Member(request, "UserPoolId") is { } pool:
                    return await engine.Send(new AdminGetUserRequest { UserPoolId = pool, Username = username }, ct);
                default:
                    return null;
            }
        }
        catch (CognitoException)
        {
            return null;
        }
    }

    static string? Member(object request, string name) => request.GetType().GetProperty(name)?.GetValue(request) as string;

    async Task Audit(ClaimsPrincipal user, string action, object request, object? before, CancellationToken ct)
    {
        var json = WithoutSecrets(JsonSerializer.SerializeToNode(request, request.GetType(), CognitoJson.Options)!.AsObject());
        var described = before is null ? null : WithoutSecrets(JsonSerializer.SerializeToNode(before, before.GetType(), CognitoJson.Options));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.Audit.Add(new AuditEntryRow
        {
            At = clock.GetUtcNow(),
            Actor = user.FindFirst("cognito:username")?.Value ?? user.FindFirst("email")?.Value ?? user.Identity?.Name ?? "unknown",
            Action = action,
            UserPoolId = json["UserPoolId"]?.GetValue<string>(),
            Target = json["Username"]?.GetValue<string>() ?? json["GroupName"]?.GetValue<string>() ?? json["ClientId"]?.GetValue<string>()
                     ?? json["PoolName"]?.GetValue<string>() ?? json["Identifier"]?.GetValue<string>(),
            Before = described?.ToJsonString(),
            After = json.ToJsonString(),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The node with every secret member, at any depth, replaced by "***".</summary>
    static T WithoutSecrets<T>(T node) where T : JsonNode?
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                    if (SecretMembers.Contains(key) && value is not null) o[key] = "***";
                    else WithoutSecrets(value);
                break;
            case JsonArray a:
                foreach (var item in a) WithoutSecrets(item);
                break;
        }
        return node;
    }
}
