using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>What the tests of this folder share: a signed client over the wire and pools with unique names.</summary>
static class Api
{
    public static RemoteCognito Signed(PortalServer server) =>
        new(new HttpClient { BaseAddress = new Uri(server.BaseUrl + "/") },
            new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));

    public static string Unique(string prefix) => PortalServer.Unique(prefix);

    public static async Task<UserPoolType> NewPool(this ICognito cognito, CreateUserPoolRequest? request = null) =>
        (await cognito.Send((request ?? new CreateUserPoolRequest()) with { PoolName = request?.PoolName ?? Unique("pool") })).UserPool!;

    public static async Task<UserPoolType> Describe(this ICognito cognito, string poolId) =>
        (await cognito.Send(new DescribeUserPoolRequest { UserPoolId = poolId })).UserPool!;

    public static async Task<T> Db<T>(PortalServer server, Func<PortalDb, Task<T>> query)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PortalDb>());
    }
}

[Collection(ServerCollection.Name)]
public sealed class PoolTests(PortalServer server)
{
    readonly RemoteCognito cognito = Api.Signed(server);

    [Fact]
    public async Task CreateUserPool_answers_the_pool_as_Cognito_describes_it()
    {
        var name = Api.Unique("created");
        var pool = (await cognito.Send(new CreateUserPoolRequest { PoolName = name })).UserPool!;

        Assert.Matches("^us-east-1_[0-9A-Za-z]{9}$", pool.Id!);
        Assert.Equal(name, pool.Name);
        Assert.Equal($"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool.Id}", pool.Arn);
        Assert.True(pool.CreationDate > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(pool.CreationDate, pool.LastModifiedDate);
        Assert.Equal("INACTIVE", pool.DeletionProtection);
        Assert.Equal("OFF", pool.MfaConfiguration);
        Assert.Equal("ESSENTIALS", pool.UserPoolTier);
        Assert.Equal(0, pool.EstimatedNumberOfUsers);
        Assert.Equal(false, pool.UsernameConfiguration!.CaseSensitive);
        Assert.Equal(8, pool.Policies!.PasswordPolicy!.MinimumLength);
        Assert.Equal(true, pool.Policies.PasswordPolicy.RequireSymbols);
        Assert.Equal(7, pool.Policies.PasswordPolicy.TemporaryPasswordValidityDays);
        Assert.Equal(["PASSWORD"], pool.Policies.SignInPolicy!.AllowedFirstAuthFactors!);
        Assert.Equal("CONFIRM_WITH_CODE", pool.VerificationMessageTemplate!.DefaultEmailOption);
        Assert.Equal("COGNITO_DEFAULT", pool.EmailConfiguration!.EmailSendingAccount);
        Assert.Equal(false, pool.AdminCreateUserConfig!.AllowAdminCreateUserOnly);
        Assert.Contains(pool.SchemaAttributes!, a => a is { Name: "sub", Required: true, Mutable: false });
        Assert.Contains(pool.SchemaAttributes!, a => a is { Name: "email", AttributeDataType: "String" });
        Assert.Empty(pool.UserPoolTags!);
        Assert.Null(pool.Domain);

        var described = await cognito.Describe(pool.Id!);
        Assert.Equal(pool.Arn, described.Arn);
        Assert.Equal(pool.CreationDate, described.CreationDate);
    }

    [Fact]
    public async Task CreateUserPool_keeps_the_settings_it_is_given()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest
        {
            UsernameAttributes = ["email"],
            AutoVerifiedAttributes = ["email"],
            DeletionProtection = "ACTIVE",
            UsernameConfiguration = new UsernameConfigurationType { CaseSensitive = true },
            Policies = new UserPoolPolicyType { PasswordPolicy = new PasswordPolicyType { MinimumLength = 12, RequireNumbers = true } },
            AdminCreateUserConfig = new AdminCreateUserConfigType { AllowAdminCreateUserOnly = true },
            UserPoolTags = new() { ["team"] = "identity" },
            Schema =
            [
                new SchemaAttributeType { Name = "email", Required = true },
                new SchemaAttributeType { Name = "tenant", AttributeDataType = "String", Mutable = false,
                                          StringAttributeConstraints = new() { MinLength = "1", MaxLength = "64" } },
                new SchemaAttributeType { Name = "level", AttributeDataType = "Number", NumberAttributeConstraints = new() { MinValue = "0", MaxValue = "9" } },
                new SchemaAttributeType { Name = "legacy", AttributeDataType = "String", DeveloperOnlyAttribute = true },
            ],
        });

        Assert.Equal(["email"], pool.UsernameAttributes!);
        Assert.Equal("ACTIVE", pool.DeletionProtection);
        Assert.Equal(true, pool.UsernameConfiguration!.CaseSensitive);
        var policy = pool.Policies!.PasswordPolicy!;
        Assert.Equal((12, true, false, false), (policy.MinimumLength!.Value, policy.RequireNumbers!.Value, policy.RequireUppercase!.Value, policy.RequireSymbols!.Value));
        Assert.Equal(true, pool.AdminCreateUserConfig!.AllowAdminCreateUserOnly);
        Assert.Equal("identity", pool.UserPoolTags!["team"]);
        Assert.Contains(pool.SchemaAttributes!, a => a is { Name: "email", Required: true });
        Assert.Contains(pool.SchemaAttributes!, a => a is { Name: "custom:tenant", Mutable: false, StringAttributeConstraints.MaxLength: "64" });
        Assert.Contains(pool.SchemaAttributes!, a => a is { Name: "custom:level", AttributeDataType: "Number", NumberAttributeConstraints.MaxValue: "9" });
        Assert.Contains(pool.SchemaAttributes!, a => a is { Name: "dev:custom:legacy", DeveloperOnlyAttribute: true });
    }

    [Fact]
    public async Task CreateUserPool_refuses_what_Cognito_refuses()
    {
        var missingName = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new CreateUserPoolRequest()));
        Assert.Contains("'poolName'", missingName.Message);

        var both = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.NewPool(new CreateUserPoolRequest { UsernameAttributes = ["email"], AliasAttributes = ["phone_number"] }));
        Assert.Equal("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.", both.Message);

        var requiredCustom = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.NewPool(new CreateUserPoolRequest { Schema = [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String", Required = true }] }));
        Assert.Equal("Required custom attributes are not supported currently.", requiredCustom.Message);

        var duplicate = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.NewPool(new CreateUserPoolRequest { Schema = [new() { Name = "tenant", AttributeDataType = "String" }, new() { Name = "tenant", AttributeDataType = "String" }] }));
        Assert.Equal("custom:tenant: Existing attribute already has name custom:tenant.", duplicate.Message);

        var retyped = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.NewPool(new CreateUserPoolRequest { Schema = [new() { Name = "email", AttributeDataType = "Number" }] }));
        Assert.Contains("standard schema attribute email", retyped.Message);

        var lengths = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.NewPool(new CreateUserPoolRequest
        {
            Schema = [new() { Name = "code", AttributeDataType = "String", StringAttributeConstraints = new() { MinLength = "10", MaxLength = "5" } }],
        }));
        Assert.Equal("user.custom:code: Max length cannot be less than min length.", lengths.Message);

        // Cognito's own checks of a custom attribute: a data type must be named, and no length goes beyond 2048.
        var untyped = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.NewPool(new CreateUserPoolRequest { Schema = [new() { Name = "tenant" }] }));
        Assert.Equal("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.", untyped.Message);
        var longMin = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.NewPool(new CreateUserPoolRequest
        {
            Schema = [new() { Name = "code", AttributeDataType = "String", StringAttributeConstraints = new() { MinLength = "2049" } }],
        }));
        Assert.Equal("user.custom:code: String attributes cannot have a length of more than 2048", longMin.Message);
        // A wrong data type is named with its value and where it is, as AWS's validation words it.
        var badType = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.NewPool(new CreateUserPoolRequest { Schema = [new() { Name = "tenant", AttributeDataType = "Text" }] }));
        Assert.Equal("1 validation error detected: Value 'Text' at 'schema.1.member.attributeDataType' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [String, Number, DateTime, Boolean]", badType.Message);

        var tooLongName = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.NewPool(new CreateUserPoolRequest { Schema = [new() { Name = new string('a', 21) }] }));
        Assert.Contains("'schema.1.member.name'", tooLongName.Message);

        var noPassword = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.NewPool(new CreateUserPoolRequest
        {
            Policies = new() { SignInPolicy = new() { AllowedFirstAuthFactors = ["EMAIL_OTP"] } },
        }));
        Assert.Equal("Password should be configured as one of the allowed first auth factors.", noPassword.Message);

        var badTag = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.NewPool(new CreateUserPoolRequest { UserPoolTags = new() { ["aws:owner"] = "me" } }));
        Assert.Contains("aws:", badTag.Message);
    }

    [Fact]
    public async Task MFA_on_or_optional_needs_an_MFA_method()
    {
        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.NewPool(new CreateUserPoolRequest { MfaConfiguration = "ON" }));
        Assert.Equal("SMS configuration and Auto verification for phone_number are required when MFA is required/optional", refused.Message);

        var pool = await cognito.NewPool(new CreateUserPoolRequest
        {
            MfaConfiguration = "OPTIONAL",
            AutoVerifiedAttributes = ["phone_number"],
            SmsConfiguration = new SmsConfigurationType { SnsCallerArn = "arn:aws:iam::000000000000:role/sms", ExternalId = "portal" },
        });
        Assert.Equal("OPTIONAL", pool.MfaConfiguration);

        var plain = await cognito.NewPool();
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new UpdateUserPoolRequest { UserPoolId = plain.Id, MfaConfiguration = "ON" }));
        Assert.Equal("OFF", (await cognito.Describe(plain.Id!)).MfaConfiguration);
    }

    [Fact]
    public async Task Threat_protection_needs_the_Plus_tier()
    {
        await Assert.ThrowsAsync<FeatureUnavailableInTierException>(() => cognito.NewPool(new CreateUserPoolRequest
        {
            UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "ENFORCED" },
        }));
        var plus = await cognito.NewPool(new CreateUserPoolRequest
        {
            UserPoolTier = "PLUS", UserPoolAddOns = new UserPoolAddOnsType { AdvancedSecurityMode = "AUDIT" },
        });
        Assert.Equal("AUDIT", plus.UserPoolAddOns!.AdvancedSecurityMode);
    }

    [Fact]
    public async Task DescribeUserPool_of_an_unknown_pool_is_ResourceNotFound()
    {
        var e = await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Describe("us-east-1_Missing00"));
        Assert.Contains("us-east-1_Missing00", e.Message);
    }

    [Fact]
    public async Task UpdateUserPool_changes_what_it_is_given_and_keeps_the_rest()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest
        {
            AliasAttributes = ["email"],
            AutoVerifiedAttributes = ["email"],
            Policies = new UserPoolPolicyType { PasswordPolicy = new PasswordPolicyType { MinimumLength = 10, RequireLowercase = true } },
            Schema = [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String" }],
            UserPoolTags = new() { ["stage"] = "test" },
        });
        server.Clock.Advance(TimeSpan.FromSeconds(1));

        await cognito.Send(new UpdateUserPoolRequest
        {
            UserPoolId = pool.Id,
            PoolName = pool.Name + "-renamed",
            LambdaConfig = new LambdaConfigType { PreSignUp = "arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up" },
            AdminCreateUserConfig = new AdminCreateUserConfigType { AllowAdminCreateUserOnly = true },
            DeletionProtection = "ACTIVE",
        });
        var updated = await cognito.Describe(pool.Id!);

        Assert.Equal(pool.Name + "-renamed", updated.Name);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:pre-sign-up", updated.LambdaConfig!.PreSignUp);
        Assert.Equal(true, updated.AdminCreateUserConfig!.AllowAdminCreateUserOnly);
        Assert.Equal("ACTIVE", updated.DeletionProtection);
        Assert.True(updated.LastModifiedDate > pool.LastModifiedDate);
        Assert.Equal(pool.CreationDate, updated.CreationDate);
        // Left out of the request, or not members of it at all: unchanged.
        Assert.Equal(10, updated.Policies!.PasswordPolicy!.MinimumLength);
        Assert.Equal(["email"], updated.AutoVerifiedAttributes!);
        Assert.Equal(["email"], updated.AliasAttributes!);
        Assert.Contains(updated.SchemaAttributes!, a => a.Name == "custom:tenant");
        Assert.Equal("test", updated.UserPoolTags!["stage"]);
        Assert.Equal(pool.UsernameConfiguration!.CaseSensitive, updated.UsernameConfiguration!.CaseSensitive);
        Assert.Equal("ESSENTIALS", updated.UserPoolTier);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            cognito.Send(new UpdateUserPoolRequest { UserPoolId = "us-east-1_Missing00", PoolName = "x" }));
    }

    [Fact]
    public async Task DeleteUserPool_refused_by_deletion_protection_deletes_nothing()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest { DeletionProtection = "ACTIVE" });
        var client = (await cognito.Send(new CreateUserPoolClientRequest { UserPoolId = pool.Id, ClientName = "app" })).UserPoolClient!;
        await cognito.Send(new AdminCreateUserRequest { UserPoolId = pool.Id, Username = "kept", MessageAction = "SUPPRESS" });

        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new DeleteUserPoolRequest { UserPoolId = pool.Id }));
        Assert.Contains("deletion protection", refused.Message);

        var still = await cognito.Describe(pool.Id!);
        Assert.Equal(1, still.EstimatedNumberOfUsers);
        Assert.Equal(client.ClientId, (await cognito.Send(new DescribeUserPoolClientRequest { UserPoolId = pool.Id, ClientId = client.ClientId })).UserPoolClient!.ClientId);

        await cognito.Send(new UpdateUserPoolRequest { UserPoolId = pool.Id, DeletionProtection = "INACTIVE" });
        await cognito.Send(new DeleteUserPoolRequest { UserPoolId = pool.Id });
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Describe(pool.Id!));
    }

    [Fact]
    public async Task DeleteUserPool_removes_clients_users_groups_domain_and_resource_servers()
    {
        var pool = await cognito.NewPool();
        var id = pool.Id!;
        await cognito.Send(new CreateUserPoolClientRequest { UserPoolId = id, ClientName = "app" });
        await cognito.Send(new AdminCreateUserRequest { UserPoolId = id, Username = "gone", MessageAction = "SUPPRESS" });
        await cognito.Send(new CreateGroupRequest { UserPoolId = id, GroupName = "staff" });
        await cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = id, Username = "gone", GroupName = "staff" });
        var domain = Api.Unique("del");
        await cognito.Send(new CreateUserPoolDomainRequest { UserPoolId = id, Domain = domain });
        await cognito.Send(new CreateResourceServerRequest { UserPoolId = id, Identifier = "api", Name = "api" });

        await cognito.Send(new DeleteUserPoolRequest { UserPoolId = id });

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Describe(id));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new ListUserPoolClientsRequest { UserPoolId = id }));
        Assert.Null((await cognito.Send(new DescribeUserPoolDomainRequest { Domain = domain })).DomainDescription!.Domain);
        var left = await Api.Db(server, async db => new[]
        {
            await db.AppClients.CountAsync(c => c.UserPoolId == id), await db.Users.CountAsync(u => u.UserPoolId == id),
            await db.Groups.CountAsync(g => g.UserPoolId == id), await db.GroupMembers.CountAsync(m => m.UserPoolId == id),
            await db.Domains.CountAsync(d => d.UserPoolId == id), await db.ResourceServers.CountAsync(r => r.UserPoolId == id),
        });
        Assert.All(left, n => Assert.Equal(0, n));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new DeleteUserPoolRequest { UserPoolId = id }));
    }

    [Fact]
    public async Task ListUserPools_pages_with_NextToken()
    {
        var created = new List<string>();
        for (var i = 0; i < 3; i++) created.Add((await cognito.NewPool()).Id!);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await cognito.Send(new ListUserPoolsRequest { MaxResults = 2, NextToken = token });
            Assert.InRange(page.UserPools!.Count, 1, 2);
            Assert.All(page.UserPools, p => Assert.NotNull(p.CreationDate));
            seen.AddRange(page.UserPools.Select(p => p.Id!));
            token = page.NextToken;
            pages++;
        } while (token is not null && pages < 1000);

        Assert.Null(token);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(created, id => Assert.Contains(id, seen));
    }

    [Fact]
    public async Task ListUserPools_MaxResults_is_between_1_and_60()
    {
        var zero = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new ListUserPoolsRequest { MaxResults = 0 }));
        Assert.Contains("'maxResults'", zero.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new ListUserPoolsRequest { MaxResults = 61 }));
        var missing = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new ListUserPoolsRequest()));
        Assert.Contains("'maxResults'", missing.Message);
        Assert.InRange((await cognito.Send(new ListUserPoolsRequest { MaxResults = 60 })).UserPools!.Count, 1, 60);
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new ListUserPoolsRequest { MaxResults = 5, NextToken = "not-a-token" }));
    }

    [Fact]
    public async Task AddCustomAttributes_extends_the_schema()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest { Schema = [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String" }] });
        await cognito.Send(new AddCustomAttributesRequest
        {
            UserPoolId = pool.Id,
            CustomAttributes =
            [
                new SchemaAttributeType { Name = "plan", AttributeDataType = "String", StringAttributeConstraints = new() { MaxLength = "16" } },
                new SchemaAttributeType { Name = "joined", AttributeDataType = "DateTime", Mutable = false },
            ],
        });
        var updated = await cognito.Describe(pool.Id!);
        Assert.Contains(updated.SchemaAttributes!, a => a is { Name: "custom:plan", StringAttributeConstraints.MaxLength: "16" });
        Assert.Contains(updated.SchemaAttributes!, a => a is { Name: "custom:joined", AttributeDataType: "DateTime", Mutable: false });
        Assert.True(updated.LastModifiedDate > pool.LastModifiedDate);

        var existing = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new AddCustomAttributesRequest
        {
            UserPoolId = pool.Id, CustomAttributes = [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String" }],
        }));
        Assert.Equal("custom:tenant: Existing attribute already has name custom:tenant.", existing.Message);
        var untyped = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new AddCustomAttributesRequest
        {
            UserPoolId = pool.Id, CustomAttributes = [new SchemaAttributeType { Name = "untyped" }],
        }));
        Assert.Equal("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.", untyped.Message);
        // Developer-only: dev:custom:x, and the duplicate is named both ways, as Cognito names it.
        var internalAttribute = new SchemaAttributeType { Name = "internal", AttributeDataType = "String", DeveloperOnlyAttribute = true };
        await cognito.Send(new AddCustomAttributesRequest { UserPoolId = pool.Id, CustomAttributes = [internalAttribute] });
        Assert.Contains((await cognito.Describe(pool.Id!)).SchemaAttributes!, a => a is { Name: "dev:custom:internal", DeveloperOnlyAttribute: true });
        var existingDev = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new AddCustomAttributesRequest
        {
            UserPoolId = pool.Id, CustomAttributes = [internalAttribute],
        }));
        Assert.Equal("custom:internal: Existing attribute already has name dev:custom:internal.", existingDev.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new AddCustomAttributesRequest
        {
            UserPoolId = pool.Id, CustomAttributes = [new SchemaAttributeType { Name = "must", AttributeDataType = "String", Required = true }],
        }));
        var empty = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            cognito.Send(new AddCustomAttributesRequest { UserPoolId = pool.Id, CustomAttributes = [] }));
        Assert.Contains("'customAttributes'", empty.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cognito.Send(new AddCustomAttributesRequest
        {
            UserPoolId = "us-east-1_Missing00", CustomAttributes = [new SchemaAttributeType { Name = "x", AttributeDataType = "String" }],
        }));
    }

    [Fact]
    public async Task A_pool_has_at_most_50_custom_attributes()
    {
        var pool = await cognito.NewPool(new CreateUserPoolRequest { Schema = Enumerable.Range(1, 30).Select(i => new SchemaAttributeType { Name = $"a{i}", AttributeDataType = "String" }).ToList() });
        await cognito.Send(new AddCustomAttributesRequest
        {
            UserPoolId = pool.Id, CustomAttributes = Enumerable.Range(1, 20).Select(i => new SchemaAttributeType { Name = $"b{i}", AttributeDataType = "String" }).ToList(),
        });
        var refused = await Assert.ThrowsAsync<InvalidParameterException>(() => cognito.Send(new AddCustomAttributesRequest
        {
            UserPoolId = pool.Id, CustomAttributes = [new SchemaAttributeType { Name = "one-more", AttributeDataType = "String" }],
        }));
        Assert.Contains("50", refused.Message);
        Assert.Equal(50, (await cognito.Describe(pool.Id!)).SchemaAttributes!.Count(a => a.Name!.StartsWith("custom:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EstimatedNumberOfUsers_counts_the_pools_users()
    {
        var pool = await cognito.NewPool();
        foreach (var name in new[] { "ann", "bob" })
            await cognito.Send(new AdminCreateUserRequest { UserPoolId = pool.Id, Username = name, MessageAction = "SUPPRESS" });
        Assert.Equal(2, (await cognito.Describe(pool.Id!)).EstimatedNumberOfUsers);
    }
}
