using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.Triggers;
using Portal.Server.UserPools;

namespace Portal.Server.SelfService.Operations;

sealed class SignUp(
    PortalDb db, AppClientStore clients, UserPoolStore pools, UserStore users, Credentials credentials,
    Codes codes, Messages messages, Contacts contacts, UserTriggers triggers, AuthEvents events, TimeProvider clock)
    : IOperation<SignUpRequest, SignUpResponse>
{
    public async Task<SignUpResponse> Handle(SignUpRequest request, CancellationToken ct)
    {
        var caller = await CallingClient.Resolve(clients, pools, request.ClientId, ct);
        caller.CheckSecretHash(request.SecretHash, request.Username);
        var pool = caller.Pool;
        if (pool.Settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly == true)
            throw new NotAuthorizedException("SignUp is not permitted for this user pool");
        if (string.IsNullOrEmpty(request.Password))
            throw InvalidParameterException.Missing("password");
        PasswordPolicy.Check(pool.Settings.Policies?.PasswordPolicy, request.Password);

        var attributes = request.UserAttributes ?? [];
        caller.CheckWriteAttributes(attributes.Select(a => a.Name!));
        attributes = AttributeRules.CheckWritable(pool.Settings, attributes, creating: true);
        var values = new Dictionary<string, string?>();
        foreach (var a in attributes) values[a.Name!] = a.Value;

        var sub = Ids.NewSub();
        var username = request.Username!;
        var usernameAttributes = pool.Settings.UsernameAttributes ?? [];
        var aliases = pool.Settings.AliasAttributes ?? [];
        if (usernameAttributes.Count > 0)
        {
            // The pool signs in by email or phone: the name given is that attribute, the internal username is the sub.
            if (username.Contains('@') && usernameAttributes.Contains("email")) values["email"] = username;
            else if (username.StartsWith('+') && usernameAttributes.Contains("phone_number")) values["phone_number"] = username;
            else throw new InvalidParameterException("Username should be either an email or a phone number.");
            username = sub;
        }
        else if (aliases.Contains("email") && System.Text.RegularExpressions.Regex.IsMatch(username, @"^[^@\s]+@[^@\s]+$"))
            throw InvalidParameterException.UsernameInAliasFormat("email");
        else if (aliases.Contains("phone_number") && System.Text.RegularExpressions.Regex.IsMatch(username, @"^\+[0-9]+$"))
            throw InvalidParameterException.UsernameInAliasFormat("phone number");

        if (await users.Find(pool, request.Username, ct) is not null)
            throw new UsernameExistsException(usernameAttributes.Count > 0
                ? $"An account with the given {(request.Username!.Contains('@') ? "email" : "phone_number")} already exists."
                : "User already exists");
        foreach (var attribute in new[] { "email", "phone_number" })
            if (values.GetValueOrDefault(attribute) is { Length: > 0 } value && await contacts.IsTakenAsUsername(pool, null, attribute, value, ct))
                throw new UsernameExistsException($"An account with the given {attribute} already exists.");

        AttributeRules.CheckRequired(pool.Settings, values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!));
        // Pre sign-up runs before anything is stored: a refusal leaves no user behind.
        var pre = await triggers.PreSignUp(pool, "PreSignUp_SignUp", username, values, caller.Client.Row.ClientId,
            request.ValidationData?.Where(a => a.Name is not null).ToDictionary(a => a.Name!, a => a.Value ?? ""), request.ClientMetadata, ct);
        if (pre.AutoVerifyEmail) values["email_verified"] = "true";
        if (pre.AutoVerifyPhone) values["phone_number_verified"] = "true";

        var now = clock.GetUtcNow();
        var user = new UserRow
        {
            Sub = sub, UserPoolId = pool.Row.Id, Username = username, UsernameKey = UserStore.Key(pool.Row, username),
            Status = pre.AutoConfirmUser ? UserStatus.Confirmed : UserStatus.Unconfirmed, Enabled = true, CreatedAt = now, LastModifiedAt = now,
        };
        UserStore.SetAttributes(user, values);
        AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(user));
        await credentials.SetPassword(pool, user, request.Password, new(ThreatProtection.PasswordCheck.SignUp, "SignUp", caller.Client.Row.ClientId), ct);
        db.Users.Add(user);
        // An auto-confirmed user claims their verified aliases now, as a confirmed one would.
        if (pre.AutoConfirmUser) await users.ClaimAliases(pool, user, force: false, ct, creating: true);

        CodeDeliveryDetailsType? delivery = null;
        if (!pre.AutoConfirmUser && Contacts.ForSignUp(pool.Settings, user) is { } contact)
        {
            var code = await codes.Issue(user, CodePurpose.SignUp, Codes.SignUpLifetime, ct, detail: contact.AttributeName);
            delivery = messages.SendCode(pool, user, contact.AttributeName, contact.Destination, code, "CustomMessage_SignUp",
                caller.Client.Row.ClientId, request.ClientMetadata);
        }
        events.From(request.UserContextData);
        events.Add(pool, user, "SignUp", "Pass", caller.Client.Row.ClientId);
        await messages.Customize(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two sign-ups raced for the name: the unique index decided.
            throw new UsernameExistsException("User already exists");
        }
        await messages.Deliver(ct);
        return new SignUpResponse { UserConfirmed = pre.AutoConfirmUser, CodeDeliveryDetails = delivery, UserSub = sub };
    }
}
