using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.SelfService;

namespace Portal.Tests.SelfService;

/// <summary>SignUp, ConfirmSignUp, ResendConfirmationCode and AdminConfirmSignUp over the wire, codes read from real mail.</summary>
[Collection(SelfServiceCollection.Name)]
public sealed class SignUpTests(SelfServiceServer server)
{
    const string Password = "Passw0rd!x";

    static List<AttributeType> Email(string address) => [new() { Name = "email", Value = address }];

    [Fact]
    public async Task SignUp_mails_a_code_and_ConfirmSignUp_confirms_the_user_and_verifies_the_email()
    {
        var (_, clientId) = await server.CreatePool();
        var username = SelfServiceServer.Unique("alice");
        var email = $"{username}@example.com";

        var signUp = await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = Email(email),
        });
        Assert.False(signUp.UserConfirmed);
        Assert.True(Guid.TryParse(signUp.UserSub, out _));
        Assert.Equal("EMAIL", signUp.CodeDeliveryDetails!.DeliveryMedium);
        Assert.Equal("email", signUp.CodeDeliveryDetails.AttributeName);
        Assert.Equal("a***@e***", signUp.CodeDeliveryDetails.Destination);

        var mail = await server.Mail.LatestTo(email);
        Assert.Equal("Your verification code", mail.Subject);
        Assert.Equal("portal-tests@portal.local", mail.From.Mailboxes.Single().Address);
        var code = MailCatcher.CodeIn(mail.TextBody);
        Assert.Equal($"Your verification code is {code}.", mail.TextBody?.Trim());

        var before = await server.Db(db => db.Users.AsNoTracking().SingleAsync(u => u.Sub == signUp.UserSub));
        Assert.Equal("UNCONFIRMED", before.Status);
        Assert.False(before.EmailVerified);

        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = code });
        var after = await server.Db(db => db.Users.AsNoTracking().SingleAsync(u => u.Sub == signUp.UserSub));
        Assert.Equal("CONFIRMED", after.Status);
        Assert.True(after.EmailVerified);

        var again = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = code }));
        Assert.Equal("User cannot be confirmed. Current status is CONFIRMED", again.Message);
    }

    [Fact]
    public async Task Email_as_username_gets_a_uuid_username_and_confirms_by_email()
    {
        var (_, clientId) = await server.CreatePool(new CreateUserPoolRequest { UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"] });
        var email = $"{SelfServiceServer.Unique("bob")}@example.org";

        var signUp = await server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = email, Password = Password });
        var user = await server.Db(db => db.Users.AsNoTracking().SingleAsync(u => u.Sub == signUp.UserSub));
        Assert.Equal(signUp.UserSub, user.Username);
        Assert.Equal(email, user.Email);
        Assert.Equal("b***@e***", signUp.CodeDeliveryDetails!.Destination);

        var exists = await Assert.ThrowsAsync<UsernameExistsException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = email, Password = Password }));
        Assert.Equal("An account with the given email already exists.", exists.Message);
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = "not-an-email", Password = Password }));

        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = email, ConfirmationCode = await server.Mail.CodeTo(email) });
        Assert.Equal("CONFIRMED", (await server.Db(db => db.Users.AsNoTracking().SingleAsync(u => u.Sub == signUp.UserSub))).Status);
    }

    [Fact]
    public async Task SignUp_refuses_taken_names_weak_passwords_missing_attributes_and_unknown_clients()
    {
        var (_, clientId) = await server.CreatePool(new CreateUserPoolRequest
        {
            AutoVerifiedAttributes = ["email"],
            Schema = [new SchemaAttributeType { Name = "email", AttributeDataType = "String", Required = true, Mutable = true }],
        });
        var username = SelfServiceServer.Unique("carol");
        var email = $"{username}@example.com";
        await server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = username, Password = Password, UserAttributes = Email(email) });

        var exists = await Assert.ThrowsAsync<UsernameExistsException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = username, Password = Password, UserAttributes = Email(email) }));
        Assert.Equal("User already exists", exists.Message);

        var weak = await Assert.ThrowsAsync<InvalidPasswordException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = username + "2", Password = "short", UserAttributes = Email(email) }));
        Assert.StartsWith("Password did not conform with policy", weak.Message);

        var missing = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = username + "3", Password = Password }));
        Assert.Contains("email", missing.Message);

        await Assert.ThrowsAsync<InvalidParameterException>(() => server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username + "4", Password = Password, UserAttributes = [.. Email(email), new() { Name = "custom:nope", Value = "x" }],
        }));
        await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username + "5", Password = Password, UserAttributes = [.. Email(email), new() { Name = "email_verified", Value = "true" }],
        }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = "nosuchclient0000000000000a", Username = username, Password = Password }));
    }

    [Fact]
    public async Task A_client_with_a_secret_requires_the_secret_hash()
    {
        var (_, clientId) = await server.CreatePool(client: new CreateUserPoolClientRequest { GenerateSecret = true });
        var secret = (await server.Db(db => db.AppClients.AsNoTracking().SingleAsync(c => c.ClientId == clientId))).ClientSecret!;
        var username = SelfServiceServer.Unique("dave");
        var request = new SignUpRequest { ClientId = clientId, Username = username, Password = Password, UserAttributes = Email($"{username}@example.com") };

        var missing = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(request));
        Assert.Equal($"Client {clientId} is configured for secret but secret was not received", missing.Message);
        var wrong = await Assert.ThrowsAsync<NotAuthorizedException>(() => server.Anonymous.Send(request with { SecretHash = "d3Jvbmc=" }));
        Assert.Equal($"Unable to verify secret hash for client {clientId}", wrong.Message);

        var hash = CallingClient.SecretHash(secret, username, clientId);
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes(username + clientId))), hash);
        var signUp = await server.Anonymous.Send(request with { SecretHash = hash });
        Assert.False(signUp.UserConfirmed);
        await server.Anonymous.Send(new ConfirmSignUpRequest
        {
            ClientId = clientId, Username = username, SecretHash = hash, ConfirmationCode = await server.Mail.CodeTo($"{username}@example.com"),
        });
    }

    [Fact]
    public async Task ResendConfirmationCode_sends_a_new_code_and_the_old_one_dies()
    {
        var (_, clientId) = await server.CreatePool();
        var username = SelfServiceServer.Unique("erin");
        var email = $"{username}@example.com";
        await server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = username, Password = Password, UserAttributes = Email(email) });
        var first = await server.Mail.CodeTo(email);

        var resent = await server.Anonymous.Send(new ResendConfirmationCodeRequest { ClientId = clientId, Username = username });
        Assert.Equal("e***@e***", resent.CodeDeliveryDetails!.Destination);
        var second = await server.Mail.CodeTo(email, count: 2);

        if (first != second)
            await Assert.ThrowsAsync<CodeMismatchException>(() =>
                server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = first }));
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = second });

        var confirmed = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            server.Anonymous.Send(new ResendConfirmationCodeRequest { ClientId = clientId, Username = username }));
        Assert.Equal("User is already confirmed.", confirmed.Message);
    }

    [Fact]
    public async Task AdminConfirmSignUp_confirms_only_unconfirmed_users()
    {
        var (poolId, clientId) = await server.CreatePool(new CreateUserPoolRequest());
        var username = SelfServiceServer.Unique("frank");
        var signUp = await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = Email($"{username}@example.com"),
        });
        // No auto-verified attribute: no code is sent; an administrator confirms.
        Assert.Null(signUp.CodeDeliveryDetails);
        Assert.Equal(0, server.Mail.CountTo($"{username}@example.com"));

        await server.Admin.Send(new AdminConfirmSignUpRequest { UserPoolId = poolId, Username = username });
        var user = await server.Db(db => db.Users.AsNoTracking().SingleAsync(u => u.Sub == signUp.UserSub));
        Assert.Equal("CONFIRMED", user.Status);
        Assert.False(user.EmailVerified);

        var again = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            server.Admin.Send(new AdminConfirmSignUpRequest { UserPoolId = poolId, Username = username }));
        Assert.Equal("User cannot be confirmed. Current status is CONFIRMED", again.Message);
        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            server.Admin.Send(new AdminConfirmSignUpRequest { UserPoolId = poolId, Username = "nobody-" + username }));
    }

    [Fact]
    public async Task SignUp_is_refused_when_only_administrators_create_users()
    {
        var (_, clientId) = await server.CreatePool(new CreateUserPoolRequest
        {
            AdminCreateUserConfig = new AdminCreateUserConfigType { AllowAdminCreateUserOnly = true },
        });
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = SelfServiceServer.Unique("gina"), Password = Password }));
        Assert.Equal("SignUp is not permitted for this user pool", e.Message);
    }

    [Fact]
    public async Task A_verified_email_alias_belongs_to_one_user_unless_ForceAliasCreation_moves_it()
    {
        var (_, clientId) = await server.CreatePool(new CreateUserPoolRequest { AliasAttributes = ["email"], AutoVerifiedAttributes = ["email"] });
        var email = $"{SelfServiceServer.Unique("shared")}@example.com";
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = email, Password = Password, UserAttributes = Email(email) }));

        var first = SelfServiceServer.Unique("holly");
        var second = SelfServiceServer.Unique("ivan");
        var firstSub = (await server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = first, Password = Password, UserAttributes = Email(email) })).UserSub;
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = first, ConfirmationCode = await server.Mail.CodeTo(email) });
        await server.Anonymous.Send(new SignUpRequest { ClientId = clientId, Username = second, Password = Password, UserAttributes = Email(email) });
        var code = await server.Mail.CodeTo(email, count: 2);

        var taken = await Assert.ThrowsAsync<AliasExistsException>(() =>
            server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = second, ConfirmationCode = code }));
        Assert.Equal("An account with the given email already exists.", taken.Message);

        // The conflict did not spend the code: it confirms with ForceAliasCreation, and the alias moves.
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = second, ConfirmationCode = code, ForceAliasCreation = true });
        Assert.False((await server.Db(db => db.Users.AsNoTracking().SingleAsync(u => u.Sub == firstSub))).EmailVerified);
    }

    [Fact]
    public async Task Unknown_users_are_reported_only_without_user_existence_protection()
    {
        var (_, legacy) = await server.CreatePool(client: new CreateUserPoolClientRequest { PreventUserExistenceErrors = "LEGACY" });
        var (_, enabled) = await server.CreatePool(client: new CreateUserPoolClientRequest { PreventUserExistenceErrors = "ENABLED" });

        var notFound = await Assert.ThrowsAsync<UserNotFoundException>(() =>
            server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = legacy, Username = "ghost", ConfirmationCode = "123456" }));
        Assert.Equal("Username/client id combination not found.", notFound.Message);
        await Assert.ThrowsAsync<CodeMismatchException>(() =>
            server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = enabled, Username = "ghost", ConfirmationCode = "123456" }));

        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            server.Anonymous.Send(new ResendConfirmationCodeRequest { ClientId = legacy, Username = "ghost" }));
        var simulated = await server.Anonymous.Send(new ResendConfirmationCodeRequest { ClientId = enabled, Username = "ghost" });
        Assert.Equal("EMAIL", simulated.CodeDeliveryDetails!.DeliveryMedium);
        Assert.Matches(@"^.\*\*\*@.\*\*\*$", simulated.CodeDeliveryDetails.Destination!);
    }
}
