using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server;
using Portal.Server.Admin;
using Portal.Server.Engine;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Portal;

/// <summary>A user's passkeys through the portal's own operations (Cognito has no admin passkey API): every role reads
/// them; the server refuses a viewer's delete even when the request is sent without the page; an operator's delete is
/// audited in the same transaction; and a relying party id outside the pool's domain is refused as Cognito refuses it.</summary>
[Collection(ServerCollection.Name)]
public sealed class PasskeyAccessTests(PortalServer server)
{
    Dispatcher Engine => server.Services.GetRequiredService<Dispatcher>();
    Bootstrap.Result Admin => server.Services.GetRequiredService<Bootstrap>().Created!;

    async Task<(string Pool, string CredentialId)> PoolWithPasskey()
    {
        var pool = (await Engine.Send(new CreateUserPoolRequest
        {
            PoolName = "passkey-access-" + Guid.NewGuid().ToString("n")[..6],
            Policies = new UserPoolPolicyType { SignInPolicy = new SignInPolicyType { AllowedFirstAuthFactors = ["PASSWORD", "WEB_AUTHN"] } },
        })).UserPool!.Id!;
        await Engine.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "paula", MessageAction = "SUPPRESS" });
        var sub = (await Engine.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "paula" })).UserAttributes!.Single(a => a.Name == "sub").Value!;
        var credentialId = "cred-" + Guid.NewGuid().ToString("n");
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        db.WebAuthnCredentials.Add(new WebAuthnCredentialRow
        {
            UserPoolId = pool, UserSub = sub, CredentialId = credentialId, PublicKey = [1, 2, 3], Name = "Work laptop", RelyingPartyId = "localhost",
            Transports = "[\"internal\",\"hybrid\"]", Attachment = "platform", CreatedAt = server.Clock.GetUtcNow(),
        });
        await db.SaveChangesAsync();
        return (pool, credentialId);
    }

    async Task<OperatorCognito> As(string group)
    {
        var name = $"{group}-{Guid.NewGuid().ToString("n")[..6]}";
        await Engine.Send(new AdminCreateUserRequest
        {
            UserPoolId = Admin.AdminPoolId, Username = name, MessageAction = "SUPPRESS",
            UserAttributes = [new() { Name = "email", Value = $"{name}@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        await Engine.Send(new AdminSetUserPasswordRequest { UserPoolId = Admin.AdminPoolId, Username = name, Password = "Operator-Passw0rd!", Permanent = true });
        await Engine.Send(new AdminAddUserToGroupRequest { UserPoolId = Admin.AdminPoolId, Username = name, GroupName = group });
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("cognito:username", name), new Claim("cognito:groups", group)], "oidc", "cognito:username", ClaimTypes.Role));
        return new OperatorCognito(Engine, new Fixed(principal), TimeProvider.System, server.Services.GetRequiredService<OperatorSessions>());
    }

    [Fact]
    public async Task A_viewer_lists_a_users_passkeys_and_the_server_refuses_the_viewers_delete()
    {
        var (pool, credentialId) = await PoolWithPasskey();
        var viewer = await As("viewers");

        var listed = Assert.Single((await viewer.Send(new AdminListWebAuthnCredentialsRequest { UserPoolId = pool, Username = "paula" })).Credentials!);
        Assert.Equal(("Work laptop", "platform", "localhost"), (listed.FriendlyCredentialName, listed.AuthenticatorAttachment, listed.RelyingPartyId));
        Assert.Equal(["internal", "hybrid"], listed.AuthenticatorTransports);
        Assert.Null(listed.LastUsedAt);

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            viewer.Send(new AdminDeleteWebAuthnCredentialRequest { UserPoolId = pool, Username = "paula", CredentialId = credentialId }));
        Assert.Contains("viewer", denied.Message);
        Assert.Single((await Engine.Send(new AdminListWebAuthnCredentialsRequest { UserPoolId = pool, Username = "paula" })).Credentials!);
    }

    [Fact]
    public async Task An_operator_deletes_a_users_passkey_and_the_delete_is_audited()
    {
        var (pool, credentialId) = await PoolWithPasskey();
        var operatorCognito = await As("operators");

        await operatorCognito.Send(new AdminDeleteWebAuthnCredentialRequest { UserPoolId = pool, Username = "paula", CredentialId = credentialId });
        Assert.Empty((await Engine.Send(new AdminListWebAuthnCredentialsRequest { UserPoolId = pool, Username = "paula" })).Credentials!);
        var entry = Assert.Single((await Engine.Send(new ListAuditEntriesRequest { UserPoolId = pool, Action = "AdminDeleteWebAuthnCredential" })).Entries!);
        Assert.StartsWith("operators-", entry.Actor);
        Assert.Equal("paula", entry.Target);

        // Gone is gone: a second delete is Cognito's "not found", and nothing more is audited.
        var again = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            operatorCognito.Send(new AdminDeleteWebAuthnCredentialRequest { UserPoolId = pool, Username = "paula", CredentialId = credentialId }));
        Assert.Equal("Credential not found.", again.Message);
        Assert.Single((await Engine.Send(new ListAuditEntriesRequest { UserPoolId = pool, Action = "AdminDeleteWebAuthnCredential" })).Entries!);
    }

    [Fact]
    public async Task A_passkey_relying_party_must_be_the_pools_custom_domain_or_a_parent_of_it()
    {
        var (pool, _) = await PoolWithPasskey();
        var domain = $"login-{Guid.NewGuid().ToString("n")[..6]}.shop.example";
        await Engine.Send(new CreateUserPoolDomainRequest
        {
            UserPoolId = pool, Domain = domain, CustomDomainConfig = new CustomDomainConfigType { CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/passkeys" },
        });
        Task<SetUserPoolMfaConfigResponse> Set(string rp) => Engine.Send(new SetUserPoolMfaConfigRequest
        {
            UserPoolId = pool, WebAuthnConfiguration = new WebAuthnConfigurationType { RelyingPartyId = rp, UserVerification = "preferred" },
        });

        var outside = await Assert.ThrowsAsync<InvalidParameterException>(() => Set("other.example"));
        Assert.Equal($"Invalid relying party ID other.example: it must be the user pool's domain {domain} or a parent domain of it.", outside.Message);
        var url = await Assert.ThrowsAsync<InvalidParameterException>(() => Set("https://shop.example"));
        Assert.Equal("Invalid relying party ID https://shop.example: it must be a domain name, without a scheme, port or path.", url.Message);
        Assert.Equal("shop.example", (await Set("shop.example")).WebAuthnConfiguration!.RelyingPartyId);
        Assert.Equal(domain, (await Set(domain)).WebAuthnConfiguration!.RelyingPartyId);
    }

    sealed class Fixed(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
