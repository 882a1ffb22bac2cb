using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Storage;

namespace Portal.Tests.SelfService;

/// <summary>Password recovery (ForgotPassword, ConfirmForgotPassword, AdminResetUserPassword) and the operations
/// a signed-in user runs with an access token (ChangePassword, attributes, DeleteUser).</summary>
[Collection(SelfServiceCollection.Name)]
public sealed class RecoveryTests(SelfServiceServer server)
{
    const string Password = "Passw0rd!x";
    const string NewPassword = "N3w-Passw0rd!";

    /// <summary>A confirmed user with a verified email, made by sign-up and the mailed code.</summary>
    async Task<(string PoolId, string ClientId, string Username, string Email, string Sub)> ConfirmedUser(
        CreateUserPoolRequest? pool = null, CreateUserPoolClientRequest? client = null)
    {
        var (poolId, clientId) = await server.CreatePool(pool, client);
        var username = SelfServiceServer.Unique("user");
        var email = $"{username}@example.com";
        var signUp = await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = email }],
        });
        await server.Anonymous.Send(new ConfirmSignUpRequest { ClientId = clientId, Username = username, ConfirmationCode = await server.Mail.CodeTo(email) });
        return (poolId, clientId, username, email, signUp.UserSub!);
    }

    Task<UserRow> User(string sub) => server.Db(db => db.Users.AsNoTracking().SingleAsync(u => u.Sub == sub));

    async Task<bool> HasPassword(UserRow user, string password)
    {
        using var scope = server.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Credentials>().Verify(user, password, default);
    }

    async Task<string> SignIn(string poolId, string clientId, string username, string password) =>
        (await server.Admin.Send(new AdminInitiateAuthRequest
        {
            UserPoolId = poolId, ClientId = clientId, AuthFlow = "ADMIN_USER_PASSWORD_AUTH",
            AuthParameters = new() { ["USERNAME"] = username, ["PASSWORD"] = password },
        })).AuthenticationResult!.AccessToken!;

    [Fact]
    public async Task ForgotPassword_mails_a_code_and_ConfirmForgotPassword_sets_the_password_and_ends_a_lockout()
    {
        var (_, clientId, username, email, sub) = await ConfirmedUser();
        await server.Db(async db =>
        {
            var row = await db.Users.SingleAsync(u => u.Sub == sub);
            row.FailedSignIns = 5;
            row.LockedUntil = DateTimeOffset.UtcNow.AddMinutes(15);
            return await db.SaveChangesAsync();
        });

        var forgot = await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        Assert.Equal(new CodeDeliveryDetailsType { Destination = "u***@e***", DeliveryMedium = "EMAIL", AttributeName = "email" }, forgot.CodeDeliveryDetails);
        var code = await server.Mail.CodeTo(email, count: 2);
        Assert.True(await HasPassword(await User(sub), Password)); // ForgotPassword alone changes nothing

        await server.Anonymous.Send(new ConfirmForgotPasswordRequest { ClientId = clientId, Username = username, ConfirmationCode = code, Password = NewPassword });
        var user = await User(sub);
        Assert.True(await HasPassword(user, NewPassword));
        Assert.False(await HasPassword(user, Password));
        Assert.Equal("CONFIRMED", user.Status);
        Assert.Equal(0, user.FailedSignIns);
        Assert.Null(user.LockedUntil);
    }

    [Fact]
    public async Task A_refused_new_password_does_not_spend_the_code()
    {
        var (_, clientId, username, email, sub) = await ConfirmedUser();
        await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username });
        var code = await server.Mail.CodeTo(email, count: 2);

        var weak = await Assert.ThrowsAsync<InvalidPasswordException>(() =>
            server.Anonymous.Send(new ConfirmForgotPasswordRequest { ClientId = clientId, Username = username, ConfirmationCode = code, Password = "weak" }));
        Assert.StartsWith("Password did not conform with policy", weak.Message);
        await server.Anonymous.Send(new ConfirmForgotPasswordRequest { ClientId = clientId, Username = username, ConfirmationCode = code, Password = NewPassword });
        Assert.True(await HasPassword(await User(sub), NewPassword));
    }

    [Fact]
    public async Task ForgotPassword_needs_a_verified_contact()
    {
        var (poolId, clientId) = await server.CreatePool(new CreateUserPoolRequest());
        var username = SelfServiceServer.Unique("unverified");
        await server.Anonymous.Send(new SignUpRequest
        {
            ClientId = clientId, Username = username, Password = Password, UserAttributes = [new() { Name = "email", Value = $"{username}@example.com" }],
        });
        await server.Admin.Send(new AdminConfirmSignUpRequest { UserPoolId = poolId, Username = username });

        var e = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username }));
        Assert.Equal("Cannot reset password for the user as there is no registered/verified email or phone_number", e.Message);
    }

    [Fact]
    public async Task ForgotPassword_follows_the_account_recovery_setting()
    {
        var adminOnly = new CreateUserPoolRequest
        {
            AutoVerifiedAttributes = ["email"],
            AccountRecoverySetting = new AccountRecoverySettingType { RecoveryMechanisms = [new() { Name = "admin_only", Priority = 1 }] },
        };
        var (_, clientId, username, _, _) = await ConfirmedUser(adminOnly);
        var e = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = username }));
        Assert.Equal("Contact administrator to reset password.", e.Message);
        // Cognito checks the recovery setting before the user: an unknown name gets the same answer, not UserNotFoundException.
        var unknown = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            server.Anonymous.Send(new ForgotPasswordRequest { ClientId = clientId, Username = "nobody-" + Guid.NewGuid().ToString("N") }));
        Assert.Equal("Contact administrator to reset password.", unknown.Message);

        // Phone first, but this user has only a verified email: the email gets the code.
        var phoneFirst = new CreateUserPoolRequest
        {
            AutoVerifiedAttributes = ["email"],
            AccountRecoverySetting = new AccountRecoverySettingType
            {
                RecoveryMechanisms = [new() { Name = "verified_phone_number", Priority = 1 }, new() { Name = "verified_email", Priority = 2 }],
            },
        };
        var other = await ConfirmedUser(phoneFirst);
        var forgot = await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = other.ClientId, Username = other.Username });
        Assert.Equal("EMAIL", forgot.CodeDeliveryDetails!.DeliveryMedium);
    }

    [Fact]
    public async Task ForgotPassword_for_an_unknown_user_depends_on_user_existence_protection()
    {
        var (_, legacy) = await server.CreatePool(client: new CreateUserPoolClientRequest { PreventUserExistenceErrors = "LEGACY" });
        var (_, enabled) = await server.CreatePool(client: new CreateUserPoolClientRequest { PreventUserExistenceErrors = "ENABLED" });

        var e = await Assert.ThrowsAsync<UserNotFoundException>(() =>
            server.Anonymous.Send(new ForgotPasswordRequest { ClientId = legacy, Username = "nobody@example.com" }));
        Assert.Equal("Username/client id combination not found.", e.Message);

        var fake = await server.Anonymous.Send(new ForgotPasswordRequest { ClientId = enabled, Username = "nobody@example.com" });
        Assert.Equal(new CodeDeliveryDetailsType { Destination = "n***@e***", DeliveryMedium = "EMAIL", AttributeName = "email" }, fake.CodeDeliveryDetails);
        Assert.Equal(0, server.Mail.CountTo("nobody@example.com"));
        await Assert.ThrowsAsync<CodeMismatchException>(() =>
            server.Anonymous.Send(new ConfirmForgotPasswordRequest { ClientId = enabled, Username = "nobody@example.com", ConfirmationCode = "123456", Password = NewPassword }));
    }

    [Fact]
    public async Task AdminResetUserPassword_requires_a_reset_with_the_mailed_code()
    {
        var (poolId, clientId, username, email, sub) = await ConfirmedUser();
        await server.Admin.Send(new AdminResetUserPasswordRequest { UserPoolId = poolId, Username = username });
        Assert.Equal("RESET_REQUIRED", (await User(sub)).Status);
        var code = await server.Mail.CodeTo(email, count: 2);

        await server.Anonymous.Send(new ConfirmForgotPasswordRequest { ClientId = clientId, Username = username, ConfirmationCode = code, Password = NewPassword });
        var user = await User(sub);
        Assert.Equal("CONFIRMED", user.Status);
        Assert.True(await HasPassword(user, NewPassword));
        await Assert.ThrowsAsync<UserNotFoundException>(() =>
            server.Admin.Send(new AdminResetUserPasswordRequest { UserPoolId = poolId, Username = "nobody-" + username }));
    }

    [Fact]
    public async Task ChangePassword_checks_the_previous_password()
    {
        var (poolId, clientId, username, _, sub) = await ConfirmedUser();
        var token = await SignIn(poolId, clientId, username, Password);

        var wrong = await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            server.Anonymous.Send(new ChangePasswordRequest { AccessToken = token, PreviousPassword = "Wr0ng-password!", ProposedPassword = NewPassword }));
        Assert.Equal("Incorrect username or password.", wrong.Message);
        await Assert.ThrowsAsync<InvalidPasswordException>(() =>
            server.Anonymous.Send(new ChangePasswordRequest { AccessToken = token, PreviousPassword = Password, ProposedPassword = "weak" }));

        await server.Anonymous.Send(new ChangePasswordRequest { AccessToken = token, PreviousPassword = Password, ProposedPassword = NewPassword });
        Assert.True(await HasPassword(await User(sub), NewPassword));
        await Assert.ThrowsAsync<NotAuthorizedException>(() =>
            server.Anonymous.Send(new ChangePasswordRequest { AccessToken = "not-a-token", PreviousPassword = NewPassword, ProposedPassword = Password }));
    }

    [Fact]
    public async Task A_changed_email_is_unverified_until_its_mailed_code_is_given()
    {
        var (poolId, clientId, username, _, sub) = await ConfirmedUser();
        var token = await SignIn(poolId, clientId, username, Password);
        var newEmail = $"{SelfServiceServer.Unique("moved")}@example.net";

        var update = await server.Anonymous.Send(new UpdateUserAttributesRequest
        {
            AccessToken = token, UserAttributes = [new() { Name = "email", Value = newEmail }, new() { Name = "name", Value = "Jo" }],
        });
        Assert.Equal([new CodeDeliveryDetailsType { Destination = "m***@e***", DeliveryMedium = "EMAIL", AttributeName = "email" }], update.CodeDeliveryDetailsList);
        var user = await User(sub);
        Assert.Equal(newEmail, user.Email);
        Assert.False(user.EmailVerified);
        Assert.Equal("Jo", user.Name);

        var code = await server.Mail.CodeTo(newEmail);
        await Assert.ThrowsAsync<CodeMismatchException>(() =>
            server.Anonymous.Send(new VerifyUserAttributeRequest { AccessToken = token, AttributeName = "email", Code = code == "000000" ? "111111" : "000000" }));
        await server.Anonymous.Send(new VerifyUserAttributeRequest { AccessToken = token, AttributeName = "email", Code = code });
        Assert.True((await User(sub)).EmailVerified);
    }

    [Fact]
    public async Task With_verification_before_update_the_old_email_stays_until_the_new_one_is_verified()
    {
        var (poolId, clientId, username, email, sub) = await ConfirmedUser(new CreateUserPoolRequest
        {
            AutoVerifiedAttributes = ["email"],
            UserAttributeUpdateSettings = new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = ["email"] },
        });
        var token = await SignIn(poolId, clientId, username, Password);
        var newEmail = $"{SelfServiceServer.Unique("pending")}@example.net";

        var update = await server.Anonymous.Send(new UpdateUserAttributesRequest { AccessToken = token, UserAttributes = [new() { Name = "email", Value = newEmail }] });
        Assert.Equal("p***@e***", Assert.Single(update.CodeDeliveryDetailsList!).Destination);
        var user = await User(sub);
        Assert.Equal(email, user.Email);
        Assert.True(user.EmailVerified);
        Assert.DoesNotContain(newEmail, user.Attributes);

        // Asking again sends a new code to the pending address; the first code dies.
        var first = await server.Mail.CodeTo(newEmail);
        var again = await server.Anonymous.Send(new GetUserAttributeVerificationCodeRequest { AccessToken = token, AttributeName = "email" });
        Assert.Equal("p***@e***", again.CodeDeliveryDetails!.Destination);
        var second = await server.Mail.CodeTo(newEmail, count: 2);
        if (first != second)
            await Assert.ThrowsAsync<CodeMismatchException>(() =>
                server.Anonymous.Send(new VerifyUserAttributeRequest { AccessToken = token, AttributeName = "email", Code = first }));

        await server.Anonymous.Send(new VerifyUserAttributeRequest { AccessToken = token, AttributeName = "email", Code = second });
        user = await User(sub);
        Assert.Equal(newEmail, user.Email);
        Assert.True(user.EmailVerified);
    }

    [Fact]
    public async Task DeleteUserAttributes_removes_attributes_but_not_required_ones()
    {
        var (poolId, clientId, username, _, sub) = await ConfirmedUser(new CreateUserPoolRequest
        {
            AutoVerifiedAttributes = ["email"],
            Schema = [new SchemaAttributeType { Name = "email", AttributeDataType = "String", Required = true, Mutable = true }],
        });
        var token = await SignIn(poolId, clientId, username, Password);
        await server.Anonymous.Send(new UpdateUserAttributesRequest { AccessToken = token, UserAttributes = [new() { Name = "given_name", Value = "Kim" }] });
        Assert.Equal("Kim", (await User(sub)).GivenName);

        await server.Anonymous.Send(new DeleteUserAttributesRequest { AccessToken = token, UserAttributeNames = ["given_name"] });
        Assert.Null((await User(sub)).GivenName);
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            server.Anonymous.Send(new DeleteUserAttributesRequest { AccessToken = token, UserAttributeNames = ["email"] }));
    }

    [Fact]
    public async Task DeleteUser_deletes_the_signed_in_user()
    {
        var (poolId, clientId, username, _, sub) = await ConfirmedUser();
        var token = await SignIn(poolId, clientId, username, Password);
        await server.Anonymous.Send(new DeleteUserRequest { AccessToken = token });
        Assert.False(await server.Db(db => db.Users.AnyAsync(u => u.Sub == sub)));
        Assert.False(await server.Db(db => db.Codes.AnyAsync(c => c.UserSub == sub)));
    }
}
