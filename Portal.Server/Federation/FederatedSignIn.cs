using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.HostedUi;
using Portal.Server.HostedUi.Pages;
using Portal.Server.Storage;
using Portal.Server.UserPools;

namespace Portal.Server.Federation;

/// <summary>The end of every federated sign-in (social, OIDC, SAML): the provider's attributes mapped onto the pool's,
/// the user found (linked), updated or created as <c>{ProviderName}_{id}</c>, signed in to the hosted UI, and the app's
/// authorize request continued.</summary>
public sealed class FederatedSignIn(
    PortalDb db, UserPoolStore pools, AppClientStore clients, HostedUiCompletion completion, HostedPages pages,
    FederatedPreSignUp preSignUp, Auth.AuthEvents events, ThreatProtection.AdaptiveAuthentication adaptive, TimeProvider clock,
    ILogger<FederatedSignIn> log)
{
    public async Task<IResult> Complete(HttpContext http, IdentityProviderRow provider, string providerUserId,
        IReadOnlyDictionary<string, string> providerAttributes, FederationRequest request, CancellationToken ct,
        SsoSession.SamlSession? saml = null)
    {
        if (request.Test) return await Tested(http, provider, providerUserId, providerAttributes, request, ct);
        var pool = await pools.Find(request.UserPoolId, ct);
        var client = await clients.Find(request.ClientId, ct);
        if (pool is null || client is null || client.Row.UserPoolId != pool.Row.Id || provider.UserPoolId != pool.Row.Id)
            return await Fail(http, request, UserText.Of("FedAppGone"), "pool, client or provider gone");
        if (client.Settings.SupportedIdentityProviders?.Contains(provider.ProviderName) != true)
            return await Fail(http, request, UserText.Of("FedProviderNotEnabled", provider.ProviderName),
                $"provider {provider.ProviderName} not enabled for client {client.Row.ClientId}");
        if (string.IsNullOrEmpty(providerUserId))
            return await Fail(http, request, UserText.Of("FedNoUserId"), $"no user id from {provider.ProviderName}");

        UserRow user;
        try
        {
            user = await SignInUser(pool, client, provider, providerUserId, providerAttributes, ct);
        }
        catch (CognitoException e)
        {
            return await Fail(http, request, UserText.Engine(e.Message), $"{e.Type} for {provider.ProviderName} user: {e.Message}");
        }
        if (!user.Enabled) return await Fail(http, request, UserText.Of("EngineUserDisabled"), $"user {user.Username} is disabled");
        // Threat protection assesses the sign-in as it does any other (the provider proved the user, so no MFA is asked):
        // a block is the hosted UI's error page; the event carries the risk either way.
        try
        {
            await adaptive.Federated(pool, client.Row.ClientId, user, ct);
        }
        catch (NotAuthorizedException e)
        {
            return await Fail(http, request, UserText.Engine(e.Message), $"threat protection blocked {user.Username}: {e.Message}");
        }
        await events.SignedIn(pool, user, client.Row.ClientId, ct);
        await db.SaveChangesAsync(ct);
        await adaptive.Completed(pool, client.Row.ClientId, user, ct);

        var texts = Texts.For(request.UiLocales, http.Request.Headers.AcceptLanguage);
        var r = new HostedUiRequest
        {
            Http = http, Domain = request.Domain, Pool = pool, Client = client, OAuth = request.OAuth, Texts = texts, Branding = new HostedUi.Branding(),
        };
        log.LogInformation("Federated sign-in of {Username} through {Provider} in {UserPoolId}", user.Username, provider.ProviderName, pool.Row.Id);
        return await completion.Complete(r, user, clock.GetUtcNow(), saml);
    }

    /// <summary>A refused federated sign-in of this request: for a test sign-in the test page with the reason, else the
    /// hosted UI's error page.</summary>
    public async Task<IResult> Fail(HttpContext http, FederationRequest request, UserText message, string reason, int status = 400)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(message);
        if (!request.Test) return await Fail(http, request.Domain, message, reason, request.UiLocales);
        log.LogWarning("Test sign-in through {Provider} of {UserPoolId} refused: {Reason}", request.ProviderName, request.UserPoolId, reason);
        return await TestPage(http, request.UserPoolId, new FederationTestResult
        {
            ProviderName = request.ProviderName, Succeeded = false, Message = message.In(TestTexts(http)), Reason = reason,
        }, status);
    }

    /// <summary>A test sign-in answered: what the provider sent, how the mapping turns it into pool attributes, and which
    /// pool user it signs in as. Nothing is written, no trigger runs, and no app receives tokens.</summary>
    async Task<IResult> Tested(HttpContext http, IdentityProviderRow provider, string providerUserId,
        IReadOnlyDictionary<string, string> providerAttributes, FederationRequest request, CancellationToken ct)
    {
        var pool = await pools.Find(request.UserPoolId, ct);
        if (pool is null || provider.UserPoolId != pool.Row.Id)
            return await Fail(http, request, UserText.Of("FedTestPoolGone"), "pool gone");
        if (string.IsNullOrEmpty(providerUserId))
            return await Fail(http, request, UserText.Of("FedTestNoUserId", provider.ProviderName),
                $"no user id from {provider.ProviderName} (mapping of username, or the subject)");
        var mapped = Map(pool, provider, providerAttributes);
        var schema = (pool.Settings.SchemaAttributes ?? Schema.Standard.ToList()).Select(s => s.Name).ToHashSet();
        var mappings = IdentityProviders.AttributeMapping(provider)
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new FederationTestResult.Mapping(m.Key, m.Value, mapped.GetValueOrDefault(m.Key),
                m.Key == "username" ? "TestNoteUsername"
                : m.Key is "sub" or "identities" ? "TestNoteSetByPortal"
                : !schema.Contains(m.Key) && !Schema.IsStandard(m.Key) ? "TestNoteNotInPool"
                : !providerAttributes.ContainsKey(m.Value) ? "TestNoteNotSent"
                : null))
            .ToList();

        var poolId = pool.Row.Id;
        var (link, user, username) = await PoolUser(pool, provider, providerUserId, ct);
        string? problem = null;
        if (user is null)
        {
            try
            {
                AttributeRules.CheckRequired(pool.Settings, mapped);
            }
            catch (CognitoException e)
            {
                problem = UserText.Of("FedTestWouldRefuse", EngineMessages.Say(e, TestTexts(http))).In(TestTexts(http));
            }
        }
        log.LogInformation("Test sign-in through {Provider} of {UserPoolId} by {Operator} answered for provider user {ProviderUserId}",
            provider.ProviderName, poolId, request.TestedBy, providerUserId);
        return await TestPage(http, poolId, new FederationTestResult
        {
            ProviderName = provider.ProviderName, ProviderType = provider.ProviderType, Succeeded = problem is null, Message = problem,
            ProviderUserId = providerUserId,
            Username = user?.Username ?? username,
            UserStatus = user is null ? null : user.Enabled ? user.Status : $"{user.Status}, disabled",
            Linked = link is not null && user is not null && user.Status != "EXTERNAL_PROVIDER",
            ProviderAttributes = providerAttributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => (a.Key, a.Value)).ToList(),
            Mappings = mappings,
        }, 200);
    }

    async Task<IResult> TestPage(HttpContext http, string userPoolId, FederationTestResult result, int status)
    {
        var pool = await pools.Find(userPoolId, http.RequestAborted);
        var page = new PageModel { Texts = TestTexts(http), BasePath = "", Query = "", Branding = new HostedUi.Branding { PageTitle = pool?.Row.Name ?? "Portal" } };
        return HostedPages.Render<FederationTestPage, FederationTestPageModel>(new FederationTestPageModel(page, result), status);
    }

    /// <summary>The words of a test sign-in's page: the administrator's browser language.</summary>
    static Texts TestTexts(HttpContext http) => Texts.For(null, http.Request.Headers.AcceptLanguage);

    /// <summary>A refused federated sign-in: the hosted UI's error page for the user, the reason in the log (never tokens).</summary>
    public async Task<IResult> Fail(HttpContext http, string domain, UserText message, string reason, string? uiLocales = null)
    {
        log.LogWarning("Federated sign-in refused on {Domain}: {Reason}", domain, reason);
        return await pages.Message(http, domain, message, 400, uiLocales: uiLocales);
    }

    /// <summary>The pool user of a provider identity: the linked user if AdminLinkProviderForUser linked it, else
    /// <c>{ProviderName}_{id}</c>, created on first sign-in (pre sign-up ExternalProvider) and updated on every one.</summary>
    public async Task<UserRow> SignInUser(UserPoolStore.Pool pool, AppClientStore.Client client, IdentityProviderRow provider,
        string providerUserId, IReadOnlyDictionary<string, string> providerAttributes, CancellationToken ct)
    {
        var poolId = pool.Row.Id;
        var mapped = Map(pool, provider, providerAttributes);
        var now = clock.GetUtcNow();
        var (_, user, username) = await PoolUser(pool, provider, providerUserId, ct);
        var key = UserStore.Key(pool.Row, username);
        if (user is not null)
        {
            // A linked native user keeps its own attributes; the provider's own user follows the provider on every sign-in.
            if (user.Status == "EXTERNAL_PROVIDER")
            {
                UserStore.SetAttributes(user, mapped.Select(m => new KeyValuePair<string, string?>(m.Key, m.Value)));
                user.LastModifiedAt = now;
                await db.SaveChangesAsync(ct);
            }
            return user;
        }

        var attributes = new Dictionary<string, string>(mapped);
        await preSignUp.Run(pool, client, username, attributes, ct);
        user = new UserRow
        {
            Sub = Ids.NewSub(), UserPoolId = poolId, Username = username, UsernameKey = key, Status = "EXTERNAL_PROVIDER", Enabled = true,
            CreatedAt = now, LastModifiedAt = now,
        };
        var identities = new JsonArray { Identity(provider, providerUserId, providerAttributes.GetValueOrDefault("iss"), now) };
        UserStore.SetAttributes(user, attributes.Select(a => new KeyValuePair<string, string?>(a.Key, a.Value))
            .Append(new("identities", identities.ToJsonString())));
        AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(user));
        db.Users.Add(user);
        db.LinkedIdentities.Add(new LinkedIdentityRow
        {
            UserPoolId = poolId, ProviderName = provider.ProviderName, ProviderUserId = providerUserId, UserSub = user.Sub, CreatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The same identity signed in twice at once: the first one created the user.
            db.ChangeTracker.Clear();
            return await db.Users.FirstAsync(u => u.UserPoolId == poolId && u.UsernameKey == key, ct);
        }
        return user;
    }

    /// <summary>The pool user a provider identity signs in as: the user AdminLinkProviderForUser linked it to, else
    /// <c>{ProviderName}_{id}</c> (null when that user does not exist yet); tracked, so a sign-in may update it.</summary>
    async Task<(LinkedIdentityRow? Link, UserRow? User, string Username)> PoolUser(UserPoolStore.Pool pool, IdentityProviderRow provider,
        string providerUserId, CancellationToken ct)
    {
        var poolId = pool.Row.Id;
        var link = await db.LinkedIdentities.FirstOrDefaultAsync(l => l.UserPoolId == poolId && l.ProviderName == provider.ProviderName
                                                                     && l.ProviderUserId == providerUserId, ct);
        var username = FederatedUsername(provider.ProviderName, providerUserId);
        var key = UserStore.Key(pool.Row, username);
        var user = link is not null
            ? await db.Users.FirstOrDefaultAsync(u => u.Sub == link.UserSub, ct)
            : await db.Users.FirstOrDefaultAsync(u => u.UserPoolId == poolId && u.UsernameKey == key, ct);
        return (link, user, username);
    }

    public static string FederatedUsername(string providerName, string providerUserId) => $"{providerName}_{providerUserId}";

    /// <summary>One entry of the <c>identities</c> attribute, as Cognito writes it (primary and dateCreated as strings).</summary>
    public static JsonObject Identity(IdentityProviderRow provider, string providerUserId, string? issuer, DateTimeOffset created) => new()
    {
        ["userId"] = providerUserId, ["providerName"] = provider.ProviderName, ["providerType"] = provider.ProviderType,
        ["issuer"] = issuer, ["primary"] = "true", ["dateCreated"] = created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>AttributeMapping applied: pool attribute ← provider attribute, for attributes the pool has
    /// (<c>username</c> names the provider's user id and is not an attribute).</summary>
    public static Dictionary<string, string> Map(UserPoolStore.Pool pool, IdentityProviderRow provider, IReadOnlyDictionary<string, string> providerAttributes)
    {
        var schema = (pool.Settings.SchemaAttributes ?? Schema.Standard.ToList()).Select(s => s.Name).ToHashSet();
        var result = new Dictionary<string, string>();
        foreach (var (poolAttribute, providerAttribute) in IdentityProviders.AttributeMapping(provider))
        {
            if (poolAttribute is "username" or "sub" or "identities") continue;
            if (!schema.Contains(poolAttribute) && !Schema.IsStandard(poolAttribute)) continue;
            if (!providerAttributes.TryGetValue(providerAttribute, out var value) || value is null) continue;
            result[poolAttribute] = poolAttribute is "email_verified" or "phone_number_verified"
                ? (value.Equals("true", StringComparison.OrdinalIgnoreCase) ? "true" : "false")
                : value;
        }
        return result;
    }

    /// <summary>Provider claims as strings: JSON strings as they are, other values as their JSON text.</summary>
    public static Dictionary<string, string> Claims(JsonElement claims)
    {
        var result = new Dictionary<string, string>();
        if (claims.ValueKind != JsonValueKind.Object) return result;
        foreach (var p in claims.EnumerateObject())
            result[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => p.Value.GetRawText(),
            };
        return result;
    }
}
