using System.Text.Json.Nodes;
using Portal.Client.Contract;
using Portal.Client.Contract.IdentityPools;
using Portal.Server.IdentityPools;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.IdentityPoolApi;

/// <summary>Roles of a pool: Set/GetIdentityPoolRoles with their checks, principal tag maps, and the role choice itself
/// (Token and Rules mappings, each match type, ambiguity resolution).</summary>
[Collection(ServerCollection.Name)]
public sealed class RoleTests(PortalServer server)
{
    readonly IdentityKit kit = new(server);
    const string Authenticated = "arn:aws:iam::000000000000:role/authenticated";
    const string Guest = "arn:aws:iam::000000000000:role/guest";
    const string Admins = "arn:aws:iam::000000000000:role/admins";
    const string Editors = "arn:aws:iam::000000000000:role/editors";

    static readonly IdentityPoolRoles Defaults = new() { Roles = new() { ["authenticated"] = Authenticated, ["unauthenticated"] = Guest } };

    static VerifiedLogin Login(string claims, string provider = "cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool00001", string? aud = "client1") =>
        new(provider, provider, "sub-1", JsonNode.Parse(claims)!.AsObject(), aud);

    static IdentityPoolRoles Rules(string ambiguous, params MappingRule[] rules) => Defaults with
    {
        RoleMappings = new()
        {
            ["cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool00001:client1"] = new RoleMapping
            {
                Type = "Rules", AmbiguousRoleResolution = ambiguous, RulesConfiguration = new RulesConfigurationType { Rules = [.. rules] },
            },
        },
    };

    static MappingRule Rule(string claim, string match, string value, string role) => new() { Claim = claim, MatchType = match, Value = value, RoleARN = role };

    [Fact]
    public void Guests_get_the_unauthenticated_role_and_logins_without_a_mapping_the_authenticated_one()
    {
        Assert.Equal(Guest, RoleChoice.For(Defaults, [], authenticated: false, null).RoleArn);
        Assert.Equal(Authenticated, RoleChoice.For(Defaults, [Login("""{"sub":"1"}""")], authenticated: true, null).RoleArn);
        var none = Assert.Throws<InvalidIdentityPoolConfigurationException>(() => RoleChoice.For(new IdentityPoolRoles(), [], authenticated: false, null));
        Assert.Equal("Invalid identity pool configuration. Check assigned IAM roles for this pool.", none.Message);
    }

    [Fact]
    public void Token_mappings_take_the_preferred_role_the_only_role_or_the_custom_role_the_token_lists()
    {
        var roles = Defaults with
        {
            RoleMappings = new() { ["cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool00001:client1"] = new RoleMapping { Type = "Token", AmbiguousRoleResolution = "Deny" } },
        };
        Assert.Equal(Admins, RoleChoice.For(roles, [Login($$"""{"cognito:preferred_role":"{{Admins}}","cognito:roles":["{{Admins}}","{{Editors}}"]}""")], true, null).RoleArn);
        Assert.Equal(Editors, RoleChoice.For(roles, [Login($$"""{"cognito:roles":["{{Editors}}"]}""")], true, null).RoleArn);
        Assert.Equal(Editors, RoleChoice.For(roles, [Login($$"""{"cognito:roles":["{{Admins}}","{{Editors}}"]}""")], true, Editors).RoleArn);
        Assert.Throws<NotAuthorizedException>(() => RoleChoice.For(roles, [Login($$"""{"cognito:roles":["{{Admins}}"]}""")], true, Editors));
        var denied = Assert.Throws<NotAuthorizedException>(() => RoleChoice.For(roles, [Login($$"""{"cognito:roles":["{{Admins}}","{{Editors}}"]}""")], true, null));
        Assert.Equal("The ambiguous role mapping rules for: cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool00001:client1 denied this request.", denied.Message);

        var lenient = Defaults with
        {
            RoleMappings = new() { ["cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool00001"] = new RoleMapping { Type = "Token", AmbiguousRoleResolution = "AuthenticatedRole" } },
        };
        Assert.Equal(Authenticated, RoleChoice.For(lenient, [Login("""{"sub":"1"}""")], true, null).RoleArn);
    }

    [Fact]
    public void Rules_match_in_order_by_each_match_type()
    {
        var roles = Rules("Deny",
            Rule("custom:dept", "Equals", "sales", Editors),
            Rule("email", "Contains", "@admin.", Admins),
            Rule("cognito:groups", "StartsWith", "ops-", Admins),
            Rule("custom:tier", "NotEqual", "free", Editors));
        Assert.Equal(Editors, RoleChoice.For(roles, [Login("""{"custom:dept":"sales","email":"a@admin.example"}""")], true, null).RoleArn);
        Assert.Equal("rule 1", RoleChoice.For(roles, [Login("""{"custom:dept":"sales"}""")], true, null).MatchedBy);
        Assert.Equal(Admins, RoleChoice.For(roles, [Login("""{"custom:dept":"support","email":"a@admin.example"}""")], true, null).RoleArn);
        Assert.Equal(Admins, RoleChoice.For(roles, [Login("""{"cognito:groups":["staff","ops-night"]}""")], true, null).RoleArn);
        Assert.Equal(Editors, RoleChoice.For(roles, [Login("""{"custom:tier":"gold"}""")], true, null).RoleArn);
        // NotEqual needs the claim; nothing matches, and the mapping denies.
        Assert.Throws<NotAuthorizedException>(() => RoleChoice.For(roles, [Login("""{"custom:tier":"free"}""")], true, null));
        Assert.Throws<NotAuthorizedException>(() => RoleChoice.For(roles, [Login("""{}""")], true, null));
        Assert.Equal(Authenticated, RoleChoice.For(Rules("AuthenticatedRole", Rule("custom:dept", "Equals", "sales", Editors)), [Login("""{}""")], true, null).RoleArn);
        Assert.False(RoleChoice.Matches(Rule("custom:dept", "Equals", "Sales", Editors), JsonNode.Parse("""{"custom:dept":"sales"}""")!.AsObject()));
    }

    [Fact]
    public void Principal_tags_come_from_the_mapped_claims_or_the_defaults()
    {
        var login = Login("""{"sub":"user-1","aud":"client1","custom:dept":"sales"}""");
        var mapped = PrincipalTagChoice.For(new Dictionary<string, PrincipalTagMap>
        {
            [login.Provider] = new() { UseDefaults = false, PrincipalTags = new() { ["department"] = "custom:dept", ["missing"] = "nothing" } },
        }, [login]);
        Assert.Equal(new Dictionary<string, string> { ["department"] = "sales" }, mapped);
        var defaults = PrincipalTagChoice.For(new Dictionary<string, PrincipalTagMap> { [login.Provider] = new() { UseDefaults = true } }, [login]);
        Assert.Equal(new Dictionary<string, string> { ["client"] = "client1", ["username"] = "user-1" }, defaults);
    }

    [Fact]
    public async Task Roles_and_principal_tag_maps_are_set_and_read_back_over_the_wire()
    {
        var app = await kit.UserPool();
        var pool = (await kit.Pool(app)).IdentityPoolId;
        var provider = $"cognito-idp.us-east-1.amazonaws.com/{app.PoolId}";
        var mappings = new Dictionary<string, RoleMapping>
        {
            [$"{provider}:{app.ClientId}"] = new RoleMapping
            {
                Type = "Rules", AmbiguousRoleResolution = "AuthenticatedRole",
                RulesConfiguration = new RulesConfigurationType { Rules = [Rule("cognito:groups", "Contains", "admins", Admins)] },
            },
        };
        await kit.Admin.Send(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["authenticated"] = Authenticated, ["unauthenticated"] = Guest }, RoleMappings = mappings,
        });
        var read = await kit.Admin.Send(new GetIdentityPoolRolesRequest { IdentityPoolId = pool });
        Assert.Equal(Authenticated, read.Roles!["authenticated"]);
        Assert.Equal(Guest, read.Roles["unauthenticated"]);
        Assert.Equal("admins", read.RoleMappings![$"{provider}:{app.ClientId}"].RulesConfiguration!.Rules![0].Value);

        async Task Refused(SetIdentityPoolRolesRequest r) => await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(r));
        await Refused(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["admin"] = Authenticated } });
        await Refused(new SetIdentityPoolRolesRequest { IdentityPoolId = pool, Roles = new() { ["authenticated"] = "arn:aws:iam::000000000000:user/bob" } });
        await Refused(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["authenticated"] = Authenticated },
            RoleMappings = new() { ["graph.facebook.com"] = new RoleMapping { Type = "Token", AmbiguousRoleResolution = "Deny" } },
        });
        await Refused(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["authenticated"] = Authenticated },
            RoleMappings = new()
            {
                [provider] = new RoleMapping
                {
                    Type = "Rules", AmbiguousRoleResolution = "Deny",
                    RulesConfiguration = new RulesConfigurationType { Rules = [.. Enumerable.Range(0, 26).Select(i => Rule("c", "Equals", $"v{i}", Admins))] },
                },
            },
        });
        await Refused(new SetIdentityPoolRolesRequest
        {
            IdentityPoolId = pool, Roles = new() { ["authenticated"] = Authenticated },
            RoleMappings = new() { [provider] = new RoleMapping { Type = "Rules", AmbiguousRoleResolution = "Deny" } },
        });
        // Nothing of a refused call was written.
        Assert.Equal(mappings.Keys, (await kit.Admin.Send(new GetIdentityPoolRolesRequest { IdentityPoolId = pool })).RoleMappings!.Keys);

        var set = await kit.Admin.Send(new SetPrincipalTagAttributeMapRequest
        {
            IdentityPoolId = pool, IdentityProviderName = provider, UseDefaults = false, PrincipalTags = new() { ["department"] = "custom:dept" },
        });
        Assert.Equal("custom:dept", set.PrincipalTags!["department"]);
        var got = await kit.Admin.Send(new GetPrincipalTagAttributeMapRequest { IdentityPoolId = pool, IdentityProviderName = kit.AmplifyKey(app.PoolId) });
        Assert.False(got.UseDefaults);
        Assert.Equal("custom:dept", got.PrincipalTags!["department"]);
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.Admin.Send(new SetPrincipalTagAttributeMapRequest
        {
            IdentityPoolId = pool, IdentityProviderName = "accounts.google.com", UseDefaults = true,
        }));
    }
}
