using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Client.Contract;
using Portal.Client.Security;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.Admin;

/// <summary>The contract as the admin portal sees it: the engine, behind the signed-in operator's role, with every
/// change written to the audit log (who, what, when, the state before and the request, without secrets).</summary>
public sealed class OperatorCognito(Dispatcher engine, AuthenticationStateProvider authentication, IServiceScopeFactory scopes, TimeProvider clock,
    OperatorSessions sessions)
    : ICognito
{
    // ProviderDetails keys that hold an identity provider's secrets (OIDC and social client secrets, Apple's private key).
    static readonly HashSet<string> SecretDetails = new(StringComparer.OrdinalIgnoreCase) { "client_secret", "private_key" };

    // The role as last checked against the administration pool: a circuit lives for hours, its role may change within them.
    (ClaimsPrincipal User, string? Role, DateTimeOffset At)? checkedRole;

    static readonly string[] SecretMembers = ["Password", "TemporaryPassword", "ProposedPassword", "PreviousPassword", "ClientSecret", "SecretHash", "ImageFile", "BackgroundImageFile"];

    // Previews change nothing an operator could undo: auditing every keystroke of the branding editor would bury the log.
    static readonly HashSet<string> NotAudited = ["CreateBrandingPreview"];

    public async Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default) where TResponse : new()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var role = await Role(user, ct);
        var needed = OperatorRoles.Needed(request.GetType());
        var name = global::Portal.Client.Contract.Operations.NameOf(request.GetType());
        if (!OperatorRoles.Allows(role, needed))
            throw new AccessDeniedException(role is null
                ? "You are not signed in to the portal, or your account has no portal role."
                : $"Your role ({role}) may not {name}: it needs the {needed} role.");
        // The portal's roles are the administration pool's groups: changing that pool in any way is changing who may do what.
        if (needed != OperatorRoles.Viewer && role != OperatorRoles.Administrator
            && sessions.AdministrationPoolId is { } adminPool && Member(request, "UserPoolId") == adminPool)
            throw new AccessDeniedException($"Your role ({role}) may not {name} in the administration pool: only administrators change the portal's own users, groups and settings.");
        var audited = needed != OperatorRoles.Viewer && !NotAudited.Contains(name);
        var before = audited ? await Before(request, ct) : null;
        var response = await engine.Send(request, ct);
        if (audited) await Audit(user, name, request, before, ct);
        return role == OperatorRoles.Administrator ? response : Masked(response);
    }

    async Task<string?> Role(ClaimsPrincipal user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (checkedRole is { } c && ReferenceEquals(c.User, user) && now - c.At < sessions.CheckInterval) return c.Role;
        var role = await sessions.CurrentRole(user, ct);
        checkedRole = (user, role, now);
        return role;
    }

    /// <summary>The response as a viewer or operator may see it: client secrets and identity provider secrets hidden.</summary>
    static TResponse Masked<TResponse>(TResponse response) => response switch
    {
        DescribeUserPoolClientResponse { UserPoolClient.ClientSecret: not null } r => (TResponse)(object)new DescribeUserPoolClientResponse
        {
            UserPoolClient = r.UserPoolClient with { ClientSecret = OperatorRoles.HiddenSecret },
        },
        DescribeIdentityProviderResponse { IdentityProvider: { } idp } => (TResponse)(object)new DescribeIdentityProviderResponse { IdentityProvider = Masked(idp) },
        GetIdentityProviderByIdentifierResponse { IdentityProvider: { } idp } => (TResponse)(object)new GetIdentityProviderByIdentifierResponse { IdentityProvider = Masked(idp) },
        _ => response,
    };

    static IdentityProviderType Masked(IdentityProviderType idp) => idp.ProviderDetails is null ? idp : idp with
    {
        ProviderDetails = idp.ProviderDetails.ToDictionary(d => d.Key, d => SecretDetails.Contains(d.Key) && !string.IsNullOrEmpty(d.Value) ? OperatorRoles.HiddenSecret : d.Value),
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
