using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Client.Contract;
using Portal.Client.Security;
using Portal.Server.Engine;

namespace Portal.Server.Admin;

/// <summary>The contract as the admin portal sees it: the engine, behind the signed-in operator's role, with every
/// change audited by the engine (who, what, when, the state before and the request, without secrets).</summary>
public sealed class OperatorCognito(Dispatcher engine, AuthenticationStateProvider authentication, TimeProvider clock, OperatorSessions sessions)
    : ICognito
{
    // ProviderDetails keys that hold an identity provider's secrets (OIDC and social client secrets, Apple's private key).
    static readonly HashSet<string> SecretDetails = new(StringComparer.OrdinalIgnoreCase) { "client_secret", "private_key" };

    // The role as last checked against the administration pool: a circuit lives for hours, its role may change within them.
    (ClaimsPrincipal User, string? Role, DateTimeOffset At)? checkedRole;

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
        // The engine writes the audit entry in the operation's own transaction (Engine/OperationAudit).
        var before = OperationAudit.Audited(request.GetType(), new Caller("", FromPortal: true)) ? await Before(request, ct) : null;
        var actor = user.FindFirst("cognito:username")?.Value ?? user.FindFirst("email")?.Value ?? user.Identity?.Name ?? "unknown";
        var response = await engine.Send(request, new Caller(actor, FromPortal: true, before), ct);
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
        // An import job's upload link creates users: only administrators (who create and start jobs) see it.
        DescribeUserImportJobResponse { UserImportJob: { } job } => (TResponse)(object)new DescribeUserImportJobResponse { UserImportJob = job with { PreSignedUrl = null } },
        ListUserImportJobsResponse r => (TResponse)(object)(r with { UserImportJobs = r.UserImportJobs?.Select(j => j with { PreSignedUrl = null }).ToList() }),
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
}
