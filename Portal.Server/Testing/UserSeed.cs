using Portal.Client.Contract;
using Portal.Server.Engine;

namespace Portal.Server.Testing;

public sealed record SeedUser
{
    public string? Username { get; init; }
    /// <summary>Set permanent: the user is CONFIRMED and signs in with it.</summary>
    public string? Password { get; init; }
    public Dictionary<string, string>? Attributes { get; init; }
    public List<string>? Groups { get; init; }
}

public sealed record SeedTestUsersRequest : ICognitoRequest<SeedTestUsersResponse>
{
    public string? UserPoolId { get; init; }
    public List<SeedUser>? Users { get; init; }
    /// <summary>False: no trigger runs for the batch (PreSignUp); default true, as AdminCreateUser runs them.</summary>
    public bool? Triggers { get; init; }
}

public sealed record SeededUser(string Username, string Sub);

public sealed record SeedTestUsersResponse
{
    public IReadOnlyList<SeededUser> Users { get; init; } = [];
}

/// <summary>Creates a batch of users in one transaction through the operations an administrator would call
/// (AdminCreateUser without a message or a temporary password, AdminSetUserPassword permanent, AdminAddUserToGroup): the pool's password policy,
/// schema, uniqueness constraints and its PreSignUp trigger apply as they do there (<c>Triggers: false</c> skips the
/// trigger), and one refusal creates no one. Users given the same password share one hash: one Argon2id computation per
/// distinct password in the batch.</summary>
sealed class SeedTestUsers(Dispatcher dispatcher, Auth.Credentials credentials, Triggers.TriggerInvoker triggers)
    : IOperation<SeedTestUsersRequest, SeedTestUsersResponse>
{
    public const int MaxUsers = 500;

    public async Task<SeedTestUsersResponse> Handle(SeedTestUsersRequest request, CancellationToken ct)
    {
        var users = request.Users ?? [];
        if (users.Count is 0 or > MaxUsers)
            throw new InvalidParameterException($"users must list 1 to {MaxUsers} users.", "users");
        // Nested sends share this unit of work's services, so both settings hold for every user of the batch.
        credentials.ShareHashes();
        if (request.Triggers == false) triggers.Suppressed = true;
        var seeded = new List<SeededUser>();
        foreach (var user in users)
        {
            if (string.IsNullOrEmpty(user.Username) || string.IsNullOrEmpty(user.Password))
                throw new InvalidParameterException("Every seeded user needs a username and a password.", "users");
            // Nested sends join this operation's unit of work (one transaction). Suppressed without a temporary password,
            // AdminCreateUser sets none (no hash, no SRP verifier, no password check): the permanent one below is the
            // only password set, checked against the policy there, and a refusal there still creates no one.
            var created = await dispatcher.Send(new AdminCreateUserRequest
            {
                UserPoolId = request.UserPoolId, Username = user.Username, MessageAction = "SUPPRESS",
                UserAttributes = user.Attributes?.Select(a => new AttributeType { Name = a.Key, Value = a.Value }).ToList(),
            }, ct);
            // The internal username just made (the sub in a pool that signs in by email) finds the row in one read.
            var username = created.User?.Username ?? user.Username;
            await dispatcher.Send(new AdminSetUserPasswordRequest
            {
                UserPoolId = request.UserPoolId, Username = username, Password = user.Password, Permanent = true,
            }, ct);
            foreach (var group in user.Groups ?? [])
                await dispatcher.Send(new AdminAddUserToGroupRequest { UserPoolId = request.UserPoolId, Username = username, GroupName = group }, ct);
            var sub = created.User?.Attributes?.FirstOrDefault(a => a.Name == "sub")?.Value ?? "";
            seeded.Add(new SeededUser(username, sub));
        }
        return new SeedTestUsersResponse { Users = seeded };
    }
}
