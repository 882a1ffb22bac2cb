using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Messaging;
using Portal.Server.Storage;
using Portal.Server.Triggers;

namespace Portal.Server.UserPools.Operations;

sealed class AdminCreateUser(PortalDb db, UserPoolStore pools, UserStore users, Credentials credentials, Messages messages,
    UserTriggers triggers, TimeProvider clock)
    : IOperation<AdminCreateUserRequest, AdminCreateUserResponse>
{
    public async Task<AdminCreateUserResponse> Handle(AdminCreateUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Cached(request.UserPoolId, ct);
        var mediums = request.DesiredDeliveryMediums;
        if (mediums?.FirstOrDefault(m => m is not ("SMS" or "EMAIL")) is { } bad)
            throw new InvalidParameterException($"1 validation error detected: Value '[{bad}]' at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]", "desiredDeliveryMediums");
        // Suppressed with none given, no temporary password is made: it would reach no one (see below).
        var temporary = !string.IsNullOrEmpty(request.TemporaryPassword) ? request.TemporaryPassword
            : request.MessageAction == "SUPPRESS" ? ""
            : PasswordPolicy.Generate(pool.Settings.Policies?.PasswordPolicy);

        if (request.MessageAction == "RESEND")
        {
            // A new temporary password and a new invitation for a user who never signed in.
            var user = await users.Get(pool, request.Username, ct);
            if (user.Status != UserStatus.ForceChangePassword)
                throw new UnsupportedUserStateException("Resend not possible. User status is not FORCE_CHANGE_PASSWORD.");
            await credentials.SetPassword(pool, user, temporary, Check(request), ct);
            Invite(pool, user, request.Username!, temporary, mediums, request.ClientMetadata);
            await messages.Customize(ct);
            await db.SaveChangesAsync(ct);
            await messages.Deliver(ct);
            return new AdminCreateUserResponse { User = UserStore.ToUserType(user) };
        }

        var attributes = AttributeRules.CheckWritable(pool.Settings, request.UserAttributes ?? [], creating: true);
        var values = new Dictionary<string, string?>();
        foreach (var a in attributes) values[a.Name!] = a.Value;

        var sub = Ids.NewSub();
        var username = SignInName(pool, request.Username!, values, sub);
        var key = UserStore.Key(pool.Row, username);
        if (await db.Users.AnyAsync(u => u.UserPoolId == pool.Row.Id && u.UsernameKey == key, ct))
            throw UsernameExistsException.Account();
        if (username == sub) await CheckUsernameAttributeFree(pool, values, ct);
        foreach (var (verified, attribute) in new[] { ("email_verified", "email"), ("phone_number_verified", "phone_number") })
            if (values.GetValueOrDefault(verified) == "true" && string.IsNullOrEmpty(values.GetValueOrDefault(attribute)))
                throw InvalidParameterException.VerifiedWithoutValue(attribute, verified);

        // Pre sign-up runs before anything is stored: a refusal leaves no user behind.
        var pre = await triggers.PreSignUp(pool, "PreSignUp_AdminCreateUser", username, values, null,
            request.ValidationData?.Where(a => a.Name is not null).ToDictionary(a => a.Name!, a => a.Value ?? ""), request.ClientMetadata, ct);
        if (pre.AutoVerifyEmail) values["email_verified"] = "true";
        if (pre.AutoVerifyPhone) values["phone_number_verified"] = "true";

        var now = clock.GetUtcNow();
        var row = new UserRow
        {
            Sub = sub, UserPoolId = pool.Row.Id, Username = username, UsernameKey = key,
            Status = UserStatus.ForceChangePassword, Enabled = true, CreatedAt = now, LastModifiedAt = now,
        };
        UserStore.SetAttributes(row, values);
        AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(row));
        await users.ClaimAliases(pool, row, force: request.ForceAliasCreation == true, ct, creating: true);
        // Suppressed with no temporary password given, the generated one would reach no one: no usable password exists,
        // so none is hashed (the user signs in once AdminSetUserPassword or a RESEND gives them one).
        if (request.MessageAction != "SUPPRESS" || !string.IsNullOrEmpty(request.TemporaryPassword))
            await credentials.SetPassword(pool, row, temporary, Check(request), ct);
        db.Users.Add(row);
        if (request.MessageAction != "SUPPRESS") Invite(pool, row, request.Username!, temporary, mediums, request.ClientMetadata);
        await messages.Customize(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request may have created the same username between the check and the insert.
            var poolId = pool.Row.Id;
            if (await db.Users.AsNoTracking().AnyAsync(u => u.UserPoolId == poolId && u.UsernameKey == key, ct))
                throw UsernameExistsException.Account();
            throw;
        }
        await messages.Deliver(ct);
        return new AdminCreateUserResponse { User = UserStore.ToUserType(row) };
    }

    /// <summary>The internal username: the sub when the pool signs in by email or phone number (the value given
    /// becomes that attribute), otherwise the name given, which may then not look like an alias.</summary>
    /// <summary>An administrator's chosen temporary password is a password set; a generated one needs no check.</summary>
    static ThreatProtection.PasswordCheck? Check(AdminCreateUserRequest request) =>
        string.IsNullOrEmpty(request.TemporaryPassword) ? null : new(ThreatProtection.PasswordCheck.PasswordChange, "PasswordChange", null);

    internal static string SignInName(UserPoolStore.Pool pool, string username, Dictionary<string, string?> values, string sub)
    {
        var usernameAttributes = pool.Settings.UsernameAttributes ?? [];
        if (usernameAttributes.Count > 0)
        {
            var (email, phone) = (usernameAttributes.Contains("email"), usernameAttributes.Contains("phone_number"));
            if (email && username.Contains('@')) values["email"] = username;
            else if (phone && username.StartsWith('+')) values["phone_number"] = username;
            else throw new InvalidParameterException(email && phone ? "Username should be either an email or a phone number."
                : email ? "Username should be an email." : "Username should be a phone number.", "username");
            AttributeRules.CheckWritable(pool.Settings, [new AttributeType { Name = username.Contains('@') ? "email" : "phone_number", Value = username }], creating: true);
            return sub;
        }
        var aliases = pool.Settings.AliasAttributes ?? [];
        if (aliases.Contains("email") && System.Text.RegularExpressions.Regex.IsMatch(username, @"^[^@\s]+@[^@\s]+$"))
            throw InvalidParameterException.UsernameInAliasFormat("email");
        if (aliases.Contains("phone_number") && System.Text.RegularExpressions.Regex.IsMatch(username, @"^\+[0-9]+$"))
            throw InvalidParameterException.UsernameInAliasFormat("phone number");
        return username;
    }

    /// <summary>With email or phone as the username, an existing user with the same value is the same username.</summary>
    async Task CheckUsernameAttributeFree(UserPoolStore.Pool pool, Dictionary<string, string?> values, CancellationToken ct)
    {
        var poolId = pool.Row.Id;
        var usernameAttributes = pool.Settings.UsernameAttributes ?? [];
        if (usernameAttributes.Contains("email") && values.GetValueOrDefault("email") is { Length: > 0 } email)
        {
            var lower = email.ToLowerInvariant();
            if (await db.Users.AnyAsync(u => u.UserPoolId == poolId && (u.Email == email || u.Email == lower), ct))
                throw new UsernameExistsException("An account with the given email already exists.");
        }
        if (usernameAttributes.Contains("phone_number") && values.GetValueOrDefault("phone_number") is { Length: > 0 } phone
            && await db.Users.AnyAsync(u => u.UserPoolId == poolId && u.PhoneNumber == phone, ct))
            throw new UsernameExistsException("An account with the given phone_number already exists.");
    }

    /// <summary>The invitation from AdminCreateUserConfig.InviteMessageTemplate, by the desired mediums (SMS unless
    /// told; with no phone number the email is used), recorded in the outbox and delivered once saved. A template without {####} sends nothing.</summary>
    void Invite(UserPoolStore.Pool pool, UserRow user, string signInName, string temporaryPassword, List<string>? mediums,
        IReadOnlyDictionary<string, string>? clientMetadata)
    {
        if (mediums is { Count: > 0 })
        {
            if (mediums.Contains("EMAIL") && user.Email is null)
                throw new InvalidParameterException("No email address is provided for the EMAIL delivery medium.", "userAttributes.email");
            if (mediums.Contains("SMS") && user.PhoneNumber is null)
                throw new InvalidParameterException("No phone number is provided for the SMS delivery medium.", "userAttributes.phone_number");
        }
        else mediums = user.PhoneNumber is not null ? ["SMS"] : user.Email is not null ? ["EMAIL"] : [];

        var template = pool.Settings.AdminCreateUserConfig?.InviteMessageTemplate;
        var shownName = user.Username == user.Sub ? signInName : user.Username;
        var custom = new Messages.CustomMessageContext(pool, user, "CustomMessage_AdminCreateUser", temporaryPassword, shownName, null, clientMetadata);
        if (mediums.Contains(Channels.Email) && (template?.EmailMessage ?? Templates.DefaultInvitationMessage).Contains("{####}"))
            messages.Queue(pool, user.Email!, Templates.Invitation(pool.Settings, Channels.Email, temporaryPassword, shownName), custom);
        if (mediums.Contains(Channels.Sms) && (template?.SMSMessage ?? Templates.DefaultInvitationMessage).Contains("{####}"))
            messages.Queue(pool, user.PhoneNumber!, Templates.Invitation(pool.Settings, Channels.Sms, temporaryPassword, shownName), custom);
    }
}
