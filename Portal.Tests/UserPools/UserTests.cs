using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Storage;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>The user operations over the wire: AdminCreateUser, AdminGetUser, AdminDeleteUser, attribute updates
/// and deletes, enable/disable, passwords and global sign-out, with their Cognito errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class UserTests(PortalServer server)
{
    readonly UsersKit kit = new(server);
    ICognito Cognito => kit.Cognito;

    [Fact]
    public async Task AdminCreateUser_creates_a_user_who_must_change_the_temporary_password()
    {
        var pool = await kit.Pool();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var created = await kit.User(pool, "Alice", ("email", "alice@example.com"), ("given_name", "Alice"));

        var user = created.User!;
        Assert.Equal("Alice", user.Username);
        Assert.Equal("FORCE_CHANGE_PASSWORD", user.UserStatus);
        Assert.True(user.Enabled);
        Assert.True(user.UserCreateDate > before);
        var attributes = UsersKit.Attributes(user.Attributes);
        Assert.Equal("alice@example.com", attributes["email"]);
        Assert.Equal("Alice", attributes["given_name"]);
        Assert.True(Guid.TryParse(attributes["sub"], out _));

        var got = await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "Alice" });
        Assert.Equal("Alice", got.Username);
        Assert.Equal("FORCE_CHANGE_PASSWORD", got.UserStatus);
        Assert.True(got.Enabled);
        Assert.Equal(user.UserCreateDate, got.UserCreateDate);
        Assert.NotNull(got.UserLastModifiedDate);
        Assert.Equal(attributes["sub"], UsersKit.Attributes(got.UserAttributes)["sub"]);
        Assert.Null(got.UserMFASettingList);
    }

    [Fact]
    public async Task Usernames_are_case_insensitive_unless_the_pool_says_otherwise()
    {
        var pool = await kit.Pool();
        await kit.User(pool, "Carol");
        var e = await Assert.ThrowsAsync<UsernameExistsException>(() => kit.User(pool, "CAROL"));
        Assert.Equal("User account already exists", e.Message);
        var got = await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "cArOl" });
        Assert.Equal("Carol", got.Username);

        var sensitive = await kit.Pool(new CreateUserPoolRequest { UsernameConfiguration = new() { CaseSensitive = true } });
        await kit.User(sensitive, "Dave");
        await kit.User(sensitive, "dave");
        Assert.Equal("Dave", (await Cognito.Send(new AdminGetUserRequest { UserPoolId = sensitive, Username = "Dave" })).Username);
        Assert.Equal("dave", (await Cognito.Send(new AdminGetUserRequest { UserPoolId = sensitive, Username = "dave" })).Username);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminGetUserRequest { UserPoolId = sensitive, Username = "DAVE" }));
    }

    [Fact]
    public async Task AdminGetUser_answers_UserNotFound_and_ResourceNotFound_and_finds_by_sub()
    {
        var pool = await kit.Pool();
        var e = await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "nobody" }));
        Assert.Equal("User does not exist.", e.Message);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            Cognito.Send(new AdminGetUserRequest { UserPoolId = "us-east-1_Nonexist0", Username = "nobody" }));

        var created = await kit.User(pool, "erin");
        var sub = UsersKit.Attributes(created.User!.Attributes)["sub"];
        Assert.Equal("erin", (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = sub })).Username);
    }

    [Fact]
    public async Task AdminCreateUser_refuses_attributes_outside_the_schema_and_missing_required_ones()
    {
        var pool = await kit.Pool(new CreateUserPoolRequest
        {
            Schema = [new SchemaAttributeType { Name = "family_name", Required = true }],
        });
        var unknown = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.User(pool, "u1", ("family_name", "X"), ("custom:nope", "1")));
        Assert.Contains("custom:nope", unknown.Message);
        var email = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.User(pool, "u2", ("family_name", "X"), ("email", "not-an-email")));
        Assert.Equal("Invalid email address format.", email.Message);
        var required = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.User(pool, "u3", ("given_name", "X")));
        Assert.Contains("family_name", required.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => kit.User(pool, "u4", ("family_name", "X"), ("email_verified", "yes")));
        Assert.Empty((await Cognito.Send(new ListUsersRequest { UserPoolId = pool })).Users!);
    }

    [Fact]
    public async Task AdminCreateUser_with_a_password_against_the_policy_creates_nothing()
    {
        var pool = await kit.Pool();
        var e = await Assert.ThrowsAsync<InvalidPasswordException>(() => Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "weak", TemporaryPassword = "short",
            UserAttributes = [new() { Name = "email", Value = "weak@example.com" }],
        }));
        Assert.StartsWith("Password did not conform with policy", e.Message);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "weak" }));
        Assert.Empty(await kit.Outbox(pool));
        Assert.Empty((await Cognito.Send(new ListUsersRequest { UserPoolId = pool })).Users!);
    }

    [Fact]
    public async Task Passwords_are_stored_only_as_Argon2id_hashes()
    {
        var pool = await kit.Pool();
        await kit.User(pool, "hashed");
        var row = await kit.Row(pool, "hashed");
        Assert.StartsWith("$argon2id$", row.PasswordHash);
        Assert.DoesNotContain(UsersKit.Password, row.PasswordHash);
        Assert.DoesNotContain(UsersKit.Password, row.Attributes);

        await Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "hashed", Password = "An0ther-Passw0rd", Permanent = true });
        row = await kit.Row(pool, "hashed");
        Assert.StartsWith("$argon2id$", row.PasswordHash);
        Assert.DoesNotContain("An0ther-Passw0rd", row.PasswordHash);
    }

    [Fact]
    public async Task The_invitation_follows_the_template_and_the_delivery_mediums()
    {
        var pool = await kit.Pool(new CreateUserPoolRequest
        {
            AdminCreateUserConfig = new AdminCreateUserConfigType
            {
                InviteMessageTemplate = new MessageTemplateType
                {
                    EmailSubject = "Welcome aboard", EmailMessage = "Hello {username}, your code is {####} .", SMSMessage = "Hi {username}: {####}",
                },
            },
        });
        await Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "frank", TemporaryPassword = "Temp-Passw0rd", DesiredDeliveryMediums = ["EMAIL"],
            UserAttributes = [new() { Name = "email", Value = "frank@example.com" }, new() { Name = "phone_number", Value = "+15550001111" }],
        });
        var message = Assert.Single(await kit.Outbox(pool));
        Assert.Equal("EMAIL", message.Channel);
        Assert.Equal("frank@example.com", message.Destination);
        Assert.Equal("Welcome aboard", message.Subject);
        Assert.Equal("Hello frank, your code is Temp-Passw0rd .", message.Body);

        await Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "grace", DesiredDeliveryMediums = ["SMS", "EMAIL"],
            UserAttributes = [new() { Name = "email", Value = "grace@example.com" }, new() { Name = "phone_number", Value = "+15550002222" }],
        });
        var grace = (await kit.Outbox(pool)).Where(m => m.Body.Contains("grace")).ToList();
        Assert.Equal(new[] { "EMAIL", "SMS" }, grace.Select(m => m.Channel).Order());
        // The generated temporary password satisfies the policy and is the one sent.
        var sms = grace.Single(m => m.Channel == "SMS").Body;
        Assert.StartsWith("Hi grace: ", sms);

        await Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "heidi", MessageAction = "SUPPRESS", UserAttributes = [new() { Name = "email", Value = "heidi@example.com" }],
        });
        Assert.DoesNotContain(await kit.Outbox(pool), m => m.Destination == "heidi@example.com");

        var noEmail = await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "ivan", DesiredDeliveryMediums = ["EMAIL"], UserAttributes = [new() { Name = "phone_number", Value = "+15550003333" }],
        }));
        Assert.Contains("email", noEmail.Message);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "ivan" }));
    }

    [Fact]
    public async Task RESEND_sends_a_new_temporary_password_to_a_user_who_never_signed_in()
    {
        var pool = await kit.Pool();
        await Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "judy", TemporaryPassword = "First-Passw0rd", UserAttributes = [new() { Name = "email", Value = "judy@example.com" }],
        });
        var hash = (await kit.Row(pool, "judy")).PasswordHash;
        await Cognito.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "judy", MessageAction = "RESEND", TemporaryPassword = "Second-Passw0rd" });
        var bodies = (await kit.Outbox(pool)).Select(m => m.Body).ToList();
        Assert.Contains(bodies, b => b.Contains("First-Passw0rd"));
        Assert.Contains(bodies, b => b.Contains("Second-Passw0rd"));
        Assert.NotEqual(hash, (await kit.Row(pool, "judy")).PasswordHash);

        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            Cognito.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "nobody", MessageAction = "RESEND" }));
        await Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "judy", Password = "Third-Passw0rd", Permanent = true });
        await Assert.ThrowsAsync<UnsupportedUserStateException>(() =>
            Cognito.Send(new AdminCreateUserRequest { UserPoolId = pool, Username = "judy", MessageAction = "RESEND" }));
    }

    [Fact]
    public async Task A_pool_signing_in_by_email_makes_the_sub_the_username()
    {
        var pool = await kit.Pool(new CreateUserPoolRequest { UsernameAttributes = ["email"] });
        var created = await kit.User(pool, "kim@example.com");
        var user = created.User!;
        var attributes = UsersKit.Attributes(user.Attributes);
        Assert.Equal(attributes["sub"], user.Username);
        Assert.Equal("kim@example.com", attributes["email"]);
        Assert.Equal(user.Username, (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "kim@example.com" })).Username);

        var taken = await Assert.ThrowsAsync<UsernameExistsException>(() => kit.User(pool, "kim@example.com"));
        Assert.Equal("An account with the given email already exists.", taken.Message);
        var notEmail = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.User(pool, "kim"));
        Assert.Equal("Username should be an email.", notEmail.Message);

        await kit.User(pool, "lee@example.com");
        var alias = await Assert.ThrowsAsync<AliasExistsException>(() => Cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool, Username = "lee@example.com", UserAttributes = [new() { Name = "email", Value = "kim@example.com" }],
        }));
        Assert.Equal("An account with the given email already exists.", alias.Message);
    }

    [Fact]
    public async Task A_verified_email_alias_belongs_to_one_user_unless_ForceAliasCreation_moves_it()
    {
        var pool = await kit.Pool(new CreateUserPoolRequest { AliasAttributes = ["email"] });
        await kit.User(pool, "mallory", ("email", "shared@example.com"), ("email_verified", "true"));
        Assert.Equal("mallory", (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "shared@example.com" })).Username);

        var e = await Assert.ThrowsAsync<AliasExistsException>(() => kit.User(pool, "niaj", ("email", "shared@example.com"), ("email_verified", "true")));
        Assert.Equal("An account with the given email already exists.", e.Message);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "niaj" }));
        // An unverified copy is no alias and conflicts with nothing.
        await kit.User(pool, "olivia", ("email", "shared@example.com"));

        await Cognito.Send(new AdminCreateUserRequest
        {
            UserPoolId = pool, Username = "niaj", TemporaryPassword = UsersKit.Password, MessageAction = "SUPPRESS", ForceAliasCreation = true,
            UserAttributes = [new() { Name = "email", Value = "shared@example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        Assert.Equal("niaj", (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "shared@example.com" })).Username);
        var mallory = await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "mallory" });
        Assert.Equal("false", UsersKit.Attributes(mallory.UserAttributes)["email_verified"]);

        var format = await Assert.ThrowsAsync<InvalidParameterException>(() => kit.User(pool, "peggy@example.com"));
        Assert.Contains("email format", format.Message);
    }

    [Fact]
    public async Task AdminDeleteUser_removes_the_user_and_their_memberships()
    {
        var pool = await kit.Pool();
        await kit.User(pool, "quentin");
        await Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "staff" });
        await Cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, Username = "quentin", GroupName = "staff" });

        await Cognito.Send(new AdminDeleteUserRequest { UserPoolId = pool, Username = "QUENTIN" });
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "quentin" }));
        Assert.Empty((await Cognito.Send(new ListUsersInGroupRequest { UserPoolId = pool, GroupName = "staff" })).Users!);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminDeleteUserRequest { UserPoolId = pool, Username = "quentin" }));
        // The name is free again.
        await kit.User(pool, "quentin");
    }

    [Fact]
    public async Task AdminUpdateUserAttributes_writes_values_and_unverifies_a_changed_email()
    {
        var pool = await kit.Pool(new CreateUserPoolRequest { AutoVerifiedAttributes = ["email"] });
        await kit.User(pool, "rupert", ("email", "rupert@example.com"), ("email_verified", "true"), ("name", "Rupert"));
        var before = (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "rupert" })).UserLastModifiedDate;

        await Cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool, Username = "rupert",
            UserAttributes = [new() { Name = "email", Value = "rupert@new.example.com" }, new() { Name = "given_name", Value = "Ru" }, new() { Name = "name", Value = "" }],
        });
        var got = await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "rupert" });
        var attributes = UsersKit.Attributes(got.UserAttributes);
        Assert.Equal("rupert@new.example.com", attributes["email"]);
        Assert.Equal("false", attributes["email_verified"]);
        Assert.Equal("Ru", attributes["given_name"]);
        Assert.False(attributes.ContainsKey("name"));
        Assert.True(got.UserLastModifiedDate >= before);
        // The pool verifies email: a code went to the new address.
        Assert.Contains(await kit.Outbox(pool), m => m.Destination == "rupert@new.example.com");

        await Cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool, Username = "rupert",
            UserAttributes = [new() { Name = "email", Value = "rupert@third.example.com" }, new() { Name = "email_verified", Value = "true" }],
        });
        attributes = UsersKit.Attributes((await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "rupert" })).UserAttributes);
        Assert.Equal("rupert@third.example.com", attributes["email"]);
        Assert.Equal("true", attributes["email_verified"]);
        Assert.DoesNotContain(await kit.Outbox(pool), m => m.Destination == "rupert@third.example.com");

        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool, Username = "nobody", UserAttributes = [new() { Name = "name", Value = "x" }],
        }));
    }

    [Fact]
    public async Task AdminUpdateUserAttributes_with_one_bad_attribute_changes_none()
    {
        var pool = await kit.Pool(new CreateUserPoolRequest
        {
            Schema = [new SchemaAttributeType { Name = "tenant", AttributeDataType = "String", Mutable = false }],
        });
        await kit.User(pool, "sybil", ("name", "Sybil"), ("custom:tenant", "acme"));
        var before = await kit.Row(pool, "sybil");

        var immutable = await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool, Username = "sybil",
            UserAttributes = [new() { Name = "name", Value = "Changed" }, new() { Name = "custom:tenant", Value = "other" }],
        }));
        Assert.Contains("custom:tenant", immutable.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool, Username = "sybil",
            UserAttributes = [new() { Name = "name", Value = "Changed" }, new() { Name = "email", Value = "bad address" }],
        }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new AdminUpdateUserAttributesRequest
        {
            UserPoolId = pool, Username = "sybil",
            UserAttributes = [new() { Name = "name", Value = "Changed" }, new() { Name = "sub", Value = Guid.NewGuid().ToString() }],
        }));
        var after = await kit.Row(pool, "sybil");
        Assert.Equal(before.Attributes, after.Attributes);
        Assert.Equal("Sybil", after.Name);
        Assert.Equal(before.LastModifiedAt, after.LastModifiedAt);
    }

    [Fact]
    public async Task AdminDeleteUserAttributes_deletes_but_not_required_or_immutable_attributes()
    {
        var pool = await kit.Pool(new CreateUserPoolRequest { Schema = [new SchemaAttributeType { Name = "family_name", Required = true }] });
        await kit.User(pool, "trent", ("family_name", "Trent"), ("email", "trent@example.com"), ("email_verified", "true"), ("nickname", "T"));

        await Cognito.Send(new AdminDeleteUserAttributesRequest { UserPoolId = pool, Username = "trent", UserAttributeNames = ["email", "nickname"] });
        var attributes = UsersKit.Attributes((await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "trent" })).UserAttributes);
        Assert.False(attributes.ContainsKey("email"));
        Assert.False(attributes.ContainsKey("email_verified"));
        Assert.False(attributes.ContainsKey("nickname"));
        Assert.Null((await kit.Row(pool, "trent")).Email);

        var required = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Cognito.Send(new AdminDeleteUserAttributesRequest { UserPoolId = pool, Username = "trent", UserAttributeNames = ["family_name"] }));
        Assert.Contains("family_name", required.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Cognito.Send(new AdminDeleteUserAttributesRequest { UserPoolId = pool, Username = "trent", UserAttributeNames = ["sub"] }));
        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            Cognito.Send(new AdminDeleteUserAttributesRequest { UserPoolId = pool, Username = "nobody", UserAttributeNames = ["nickname"] }));
    }

    [Fact]
    public async Task Disabling_a_user_revokes_their_tokens_and_enabling_restores_sign_in()
    {
        var pool = await kit.Pool();
        await kit.User(pool, "uma");
        var sub = (await kit.Row(pool, "uma")).Sub;
        await AddRefreshToken(pool, sub);

        await Cognito.Send(new AdminDisableUserRequest { UserPoolId = pool, Username = "uma" });
        Assert.False((await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "uma" })).Enabled);
        Assert.All(await RefreshTokens(sub), t => Assert.NotNull(t.RevokedAt));
        Assert.NotNull((await kit.Row(pool, "uma")).TokensValidAfter);

        await Cognito.Send(new AdminEnableUserRequest { UserPoolId = pool, Username = "uma" });
        Assert.True((await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "uma" })).Enabled);

        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminDisableUserRequest { UserPoolId = pool, Username = "nobody" }));
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminEnableUserRequest { UserPoolId = pool, Username = "nobody" }));
    }

    [Fact]
    public async Task AdminSetUserPassword_sets_permanent_or_temporary_passwords_by_the_policy()
    {
        var pool = await kit.Pool();
        await kit.User(pool, "victor");
        await Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "victor", Password = "Perm-Passw0rd", Permanent = true });
        Assert.Equal("CONFIRMED", (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "victor" })).UserStatus);
        await Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "victor", Password = "Temp-Passw0rd", Permanent = false });
        Assert.Equal("FORCE_CHANGE_PASSWORD", (await Cognito.Send(new AdminGetUserRequest { UserPoolId = pool, Username = "victor" })).UserStatus);

        var hash = (await kit.Row(pool, "victor")).PasswordHash;
        var e = await Assert.ThrowsAsync<InvalidPasswordException>(() =>
            Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "victor", Password = "alllowercase1!", Permanent = true }));
        Assert.Equal("Password did not conform with policy: Password must have uppercase characters", e.Message);
        var row = await kit.Row(pool, "victor");
        Assert.Equal(hash, row.PasswordHash);
        Assert.Equal("FORCE_CHANGE_PASSWORD", row.Status);
        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "nobody", Password = "Perm-Passw0rd", Permanent = true }));
    }

    [Fact]
    public async Task AdminUserGlobalSignOut_revokes_every_refresh_token_of_the_user_only()
    {
        var pool = await kit.Pool();
        await kit.User(pool, "wendy");
        await kit.User(pool, "xavier");
        var wendy = (await kit.Row(pool, "wendy")).Sub;
        var xavier = (await kit.Row(pool, "xavier")).Sub;
        await AddRefreshToken(pool, wendy);
        await AddRefreshToken(pool, wendy);
        await AddRefreshToken(pool, xavier);

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Cognito.Send(new AdminUserGlobalSignOutRequest { UserPoolId = pool, Username = "wendy" });
        Assert.All(await RefreshTokens(wendy), t => Assert.True(t.RevokedAt >= before));
        Assert.All(await RefreshTokens(xavier), t => Assert.Null(t.RevokedAt));
        Assert.True((await kit.Row(pool, "wendy")).TokensValidAfter >= before);
        Assert.Null((await kit.Row(pool, "xavier")).TokensValidAfter);
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminUserGlobalSignOutRequest { UserPoolId = pool, Username = "nobody" }));
    }

    Task AddRefreshToken(string pool, string sub) => kit.Db(async db =>
    {
        db.RefreshTokens.Add(new RefreshTokenRow
        {
            TokenHash = Guid.NewGuid().ToString("n"), UserPoolId = pool, ClientId = "client", UserSub = sub, OriginJti = Guid.NewGuid().ToString(),
            IssuedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddDays(30),
        });
        return await db.SaveChangesAsync();
    });

    Task<List<RefreshTokenRow>> RefreshTokens(string sub) =>
        kit.Db(db => db.RefreshTokens.AsNoTracking().Where(t => t.UserSub == sub).ToListAsync());
}
