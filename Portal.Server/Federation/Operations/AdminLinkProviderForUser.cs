using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Federation.Operations;

/// <summary>Links a provider identity that has not signed in yet to an existing pool user: that identity then signs in
/// as the pool user (same sub), and the user's identities attribute lists it.</summary>
sealed class AdminLinkProviderForUser(PortalDb db, UserPoolStore pools, UserStore users, IdentityProviders providers, TimeProvider clock)
    : IOperation<AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse>
{
    const int MaxLinks = 5;

    public async Task<AdminLinkProviderForUserResponse> Handle(AdminLinkProviderForUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var poolId = pool.Row.Id;
        var destination = request.DestinationUser!;
        var source = request.SourceUser!;
        if (!string.Equals(destination.ProviderName, "Cognito", StringComparison.OrdinalIgnoreCase))
            throw new InvalidParameterException("DestinationUser ProviderName must be Cognito.");
        if (string.IsNullOrEmpty(source.ProviderName) || string.IsNullOrEmpty(source.ProviderAttributeValue))
            throw new InvalidParameterException("SourceUser ProviderName and ProviderAttributeValue are required.");
        var provider = await providers.Find(poolId, source.ProviderName, ct)
                       ?? throw new InvalidParameterException($"Provider {source.ProviderName} does not exist for User Pool {poolId}");
        var attributeName = string.IsNullOrEmpty(source.ProviderAttributeName) ? "Cognito_Subject" : source.ProviderAttributeName;
        if (provider.ProviderType != "SAML" && attributeName != "Cognito_Subject")
            throw new InvalidParameterException("SourceUser ProviderAttributeName must be Cognito_Subject for this provider.");

        var user = await users.Get(pool, destination.ProviderAttributeValue, ct);
        if (user.Status == "EXTERNAL_PROVIDER")
            throw new InvalidParameterException("DestinationUser cannot be an external provider user.");
        var subject = source.ProviderAttributeValue;
        var key = UserStore.Key(pool.Row, FederatedSignIn.FederatedUsername(provider.ProviderName, subject));
        if (await db.Users.AnyAsync(u => u.UserPoolId == poolId && u.UsernameKey == key, ct))
            throw new InvalidParameterException("Merging is not currently supported, provide a SourceUser that has not been used in this user pool yet.");
        var link = await db.LinkedIdentities.FirstOrDefaultAsync(l => l.UserPoolId == poolId && l.ProviderName == provider.ProviderName
                                                                     && l.ProviderUserId == subject, ct);
        if (link is not null)
            throw new AliasExistsException(link.UserSub == user.Sub
                ? "The SourceUser is already linked to this DestinationUser."
                : "The SourceUser is already linked to another user in this user pool.");
        if (await db.LinkedIdentities.CountAsync(l => l.UserSub == user.Sub, ct) >= MaxLinks)
            throw new LimitExceededException($"A user can be linked to at most {MaxLinks} identities.");

        var now = clock.GetUtcNow();
        db.LinkedIdentities.Add(new LinkedIdentityRow
        {
            UserPoolId = poolId, ProviderName = provider.ProviderName, ProviderUserId = subject, UserSub = user.Sub, CreatedAt = now,
        });
        var identities = Identities(user);
        var issuer = provider.ProviderType == "OIDC" ? IdentityProviders.ProviderDetails(provider).GetValueOrDefault("oidc_issuer") : null;
        identities.Add(FederatedSignIn.Identity(provider, subject, issuer, now));
        foreach (var entry in identities.OfType<JsonObject>()) entry["primary"] = "false";
        UserStore.SetAttributes(user, [new("identities", identities.ToJsonString())]);
        user.LastModifiedAt = now;
        await db.SaveChangesAsync(ct);
        return new();
    }

    public static JsonArray Identities(UserRow user)
    {
        var text = UserStore.Attributes(user).GetValueOrDefault("identities");
        try
        {
            return text is null ? [] : JsonNode.Parse(text) as JsonArray ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }
}
