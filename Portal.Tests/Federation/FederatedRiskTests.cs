using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Server.ThreatProtection;

namespace Portal.Tests.Federation;

/// <summary>Threat protection assesses federated sign-ins as it does the others (the provider proved the user, so no MFA
/// is asked): the event of a sign-in through the real OpenID provider carries its EventRisk, and a blocked IP range
/// refuses it with the hosted UI's error page and a failed, blocked event.</summary>
[Collection(OidcCollection.Name)]
public sealed class FederatedRiskTests(OidcFixture f)
{
    [Fact]
    public async Task A_federated_sign_in_gets_an_EventRisk_and_a_blocked_range_refuses_it()
    {
        var pool = (await f.Cognito.Send(new CreateUserPoolRequest
        {
            PoolName = "federated-risk", UserPoolTier = "PLUS", UserPoolAddOns = new() { AdvancedSecurityMode = "ENFORCED" },
        })).UserPool!.Id!;
        var domain = "fedrisk-" + Guid.NewGuid().ToString("n")[..8];
        await f.Cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = pool, Domain = domain });
        await f.Cognito.Send(new CreateIdentityProviderRequest
        {
            UserPoolId = pool, ProviderName = "CorpIdP", ProviderType = "OIDC",
            ProviderDetails = new()
            {
                ["client_id"] = f.Idp.ClientId, ["client_secret"] = f.Idp.ClientSecret, ["attributes_request_method"] = "GET",
                ["oidc_issuer"] = f.Idp.Issuer, ["authorize_scopes"] = "openid email profile",
            },
            AttributeMapping = new() { ["email"] = "email" },
        });
        async Task<string> Client() => (await f.Cognito.Send(new CreateUserPoolClientRequest
        {
            UserPoolId = pool, ClientName = "app", GenerateSecret = true, AllowedOAuthFlows = ["code"], AllowedOAuthFlowsUserPoolClient = true,
            AllowedOAuthScopes = ["openid", "email", "profile"], SupportedIdentityProviders = ["CorpIdP"], CallbackURLs = [OidcFixture.Callback],
        })).UserPoolClient!.ClientId!;
        var open = await Client();
        var guarded = await Client();
        await f.Cognito.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = pool,
            AccountTakeoverRiskConfiguration = new() { Actions = new() { LowAction = new() { EventAction = "MFA_REQUIRED", Notify = false } } },
        });
        // The tests' browser comes from the loopback address: blocked for the guarded client only.
        await f.Cognito.Send(new SetRiskConfigurationRequest
        {
            UserPoolId = pool, ClientId = guarded, RiskExceptionConfiguration = new() { BlockedIPRangeList = ["127.0.0.0/8"] },
        });
        string Authorize(string clientId) =>
            $"{f.Server.BaseUrl}/{domain}/oauth2/authorize?client_id={clientId}&response_type=code&scope=openid+email" +
            $"&redirect_uri={Uri.EscapeDataString(OidcFixture.Callback)}&state=s&identity_provider=CorpIdP";
        var login = "risky-" + Guid.NewGuid().ToString("n")[..6];
        var username = $"CorpIdP_{login}";

        using (var browser = f.NewUser())
        {
            var signedIn = await browser.SignIn(Authorize(open), login);
            Assert.NotNull(HttpUser.Query(signedIn.Location, "code"));
        }
        var passed = (await f.Cognito.Send(new AdminListUserAuthEventsRequest { UserPoolId = pool, Username = username })).AuthEvents!.Single();
        Assert.Equal(("SignIn", "Pass", "NoRisk"), (passed.EventType, passed.EventResponse, passed.EventRisk!.RiskDecision));

        using (var browser = f.NewUser())
        {
            var refused = await browser.SignIn(Authorize(guarded), login);
            Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
            Assert.Null(refused.Location);
            Assert.Contains("security reasons", HttpUser.Text(refused.Body), StringComparison.Ordinal);
        }
        var failed = (await f.Cognito.Send(new AdminListUserAuthEventsRequest { UserPoolId = pool, Username = username })).AuthEvents!.First();
        Assert.Equal(("Fail", "Block", "High"), (failed.EventResponse, failed.EventRisk!.RiskDecision, failed.EventRisk.RiskLevel));
        await using var scope = f.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var reasons = global::Portal.Server.Auth.AuthEvents.Reasons(await db.AuthEvents.SingleAsync(e => e.EventId == failed.EventId));
        Assert.Equal([RiskReason.BlockedRange], reasons.Select(r => RiskReason.Parse(r).Code));
    }
}
