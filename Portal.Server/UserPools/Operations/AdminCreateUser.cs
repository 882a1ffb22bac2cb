using Microsoft.EntityFrameworkCore;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Engine;
using Portal.Server.Storage;

namespace Portal.Server.UserPools.Operations;

sealed class AdminCreateUser(PortalDb db, UserPoolStore pools, UserStore users, Credentials credentials, TimeProvider clock)
    : IOperation<AdminCreateUserRequest, AdminCreateUserResponse>
{
    public async Task<AdminCreateUserResponse> Handle(AdminCreateUserRequest request, CancellationToken ct)
    {
        var pool = await pools.Get(request.UserPoolId, ct);
        var attributes = request.UserAttributes ?? [];
        AttributeRules.CheckWritable(pool.Settings, attributes, creating: true);

        var existing = await users.Find(pool, request.Username, ct);
        if (request.MessageAction == "RESEND")
        {
            var user = existing ?? throw new UserNotFoundException("User does not exist.");
            if (user.Status != "FORCE_CHANGE_PASSWORD")
                throw new UnsupportedUserStateException("Resend not possible. User status is not FORCE_CHANGE_PASSWORD.");
            var password = request.TemporaryPassword ?? PasswordPolicy.Generate(pool.Settings.Policies?.PasswordPolicy);
            credentials.SetPassword(pool, user, password);
            Invite(pool, user, password);
            await db.SaveChangesAsync(ct);
            return new AdminCreateUserResponse { User = UserStore.ToUserType(user) };
        }
        if (existing is not null) throw new UsernameExistsException("User account already exists");

        var now = clock.GetUtcNow();
        var sub = Ids.NewSub();
        var usesUsernameAttributes = pool.Settings.UsernameAttributes is { Count: > 0 };
        var username = request.Username!;
        var values = attributes.ToDictionary(a => a.Name!, a => a.Value);
        if (usesUsernameAttributes)
        {
            // The pool signs in by email or phone: the username given is that attribute; the internal username is the sub.
            if (username.Contains('@') && pool.Settings.UsernameAttributes!.Contains("email")) values["email"] = username;
            else if (username.StartsWith('+') && pool.Settings.UsernameAttributes!.Contains("phone_number")) values["phone_number"] = username;
            else throw new InvalidParameterException("Username should be either an email or a phone number.");
            username = sub;
        }
        var row = new UserRow
        {
            Sub = sub, UserPoolId = pool.Row.Id, Username = username, UsernameKey = UserStore.Key(pool.Row, username),
            Status = "FORCE_CHANGE_PASSWORD", Enabled = true, CreatedAt = now, LastModifiedAt = now,
        };
        UserStore.SetAttributes(row, values!);
        AttributeRules.CheckRequired(pool.Settings, UserStore.Attributes(row));
        await CheckUnique(pool, row, ct);

        var temporary = request.TemporaryPassword ?? PasswordPolicy.Generate(pool.Settings.Policies?.PasswordPolicy);
        credentials.SetPassword(pool, row, temporary);
        db.Users.Add(row);
        if (request.MessageAction != "SUPPRESS") Invite(pool, row, temporary);
        await db.SaveChangesAsync(ct);
        return new AdminCreateUserResponse { User = UserStore.ToUserType(row) };
    }

    /// <summary>Email and phone must be unique when they are sign-in identifiers.</summary>
    async Task CheckUnique(UserPoolStore.Pool pool, UserRow row, CancellationToken ct)
    {
        var signIn = (pool.Settings.UsernameAttributes ?? []).Concat(pool.Settings.AliasAttributes ?? []).ToHashSet();
        if (signIn.Contains("email") && row.Email is not null
            && await db.Users.AnyAsync(u => u.UserPoolId == row.UserPoolId && u.Email == row.Email && u.Sub != row.Sub, ct))
            throw new AliasExistsException("An account with the given email already exists.");
        if (signIn.Contains("phone_number") && row.PhoneNumber is not null
            && await db.Users.AnyAsync(u => u.UserPoolId == row.UserPoolId && u.PhoneNumber == row.PhoneNumber && u.Sub != row.Sub, ct))
            throw new AliasExistsException("An account with the given phone_number already exists.");
    }

    void Invite(UserPoolStore.Pool pool, UserRow user, string temporaryPassword)
    {
        if (user.Email is null) return;
        var template = pool.Settings.AdminCreateUserConfig?.InviteMessageTemplate;
        var body = (template?.EmailMessage ?? "Your username is {username} and temporary password is {####}.")
            .Replace("{username}", user.Username).Replace("{####}", temporaryPassword);
        db.Outbox.Add(new OutboxMessageRow
        {
            Id = Guid.NewGuid(), UserPoolId = pool.Row.Id, Channel = "EMAIL", Destination = user.Email,
            Subject = template?.EmailSubject ?? "Your temporary password", Body = body, CreatedAt = clock.GetUtcNow(),
        });
    }
}
