using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>Groups over the wire: create, get, update, delete, list (paged), memberships both ways (paged).</summary>
[Collection(ServerCollection.Name)]
public sealed class GroupTests(PortalServer server)
{
    readonly UsersKit kit = new(server);
    ICognito Cognito => kit.Cognito;

    const string Role = "arn:aws:iam::000000000000:role/editors";

    [Fact]
    public async Task A_group_is_created_read_updated_and_deleted()
    {
        var pool = await kit.Pool();
        var created = (await Cognito.Send(new CreateGroupRequest
        {
            UserPoolId = pool, GroupName = "editors", Description = "They edit", Precedence = 3, RoleArn = Role,
        })).Group!;
        Assert.Equal("editors", created.GroupName);
        Assert.Equal(pool, created.UserPoolId);
        Assert.Equal("They edit", created.Description);
        Assert.Equal(3, created.Precedence);
        Assert.Equal(Role, created.RoleArn);
        Assert.NotNull(created.CreationDate);

        var got = (await Cognito.Send(new GetGroupRequest { UserPoolId = pool, GroupName = "editors" })).Group!;
        Assert.Equal(created, got);

        var updated = (await Cognito.Send(new UpdateGroupRequest { UserPoolId = pool, GroupName = "editors", Description = "They edit a lot", Precedence = 1 })).Group!;
        Assert.Equal("They edit a lot", updated.Description);
        Assert.Equal(1, updated.Precedence);
        Assert.Equal(Role, updated.RoleArn);
        Assert.True(updated.LastModifiedDate >= created.LastModifiedDate);
        Assert.Equal(updated, (await Cognito.Send(new GetGroupRequest { UserPoolId = pool, GroupName = "editors" })).Group);

        await Cognito.Send(new DeleteGroupRequest { UserPoolId = pool, GroupName = "editors" });
        var e = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new GetGroupRequest { UserPoolId = pool, GroupName = "editors" }));
        Assert.Equal("Group not found.", e.Message);
    }

    [Fact]
    public async Task Group_errors_are_Cognitos()
    {
        var pool = await kit.Pool();
        await Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "admins" });
        var exists = await Assert.ThrowsAsync<GroupExistsException>(() => Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "admins" }));
        Assert.Equal("A group with the name already exists.", exists.Message);
        // Group names are case sensitive.
        await Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "Admins" });

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new UpdateGroupRequest { UserPoolId = pool, GroupName = "ghosts", Description = "x" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new DeleteGroupRequest { UserPoolId = pool, GroupName = "ghosts" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new ListUsersInGroupRequest { UserPoolId = pool, GroupName = "ghosts" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new CreateGroupRequest { UserPoolId = "us-east-1_Nonexist0", GroupName = "x" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new ListGroupsRequest { UserPoolId = "us-east-1_Nonexist0" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "bad", RoleArn = "not-an-arn-at-all-really" }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "bad", Precedence = -1 }));

        await kit.User(pool, "member");
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, Username = "member", GroupName = "ghosts" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = pool, Username = "member", GroupName = "ghosts" }));
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, Username = "nobody", GroupName = "admins" }));
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = pool, Username = "nobody", GroupName = "admins" }));
        await Assert.ThrowsAsync<UserNotFoundException>(() => Cognito.Send(new AdminListGroupsForUserRequest { UserPoolId = pool, Username = "nobody" }));
    }

    [Fact]
    public async Task ListGroups_pages_through_every_group_in_name_order()
    {
        var pool = await kit.Pool();
        var names = new[] { "e", "a", "d", "b", "c" };
        foreach (var name in names) await Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = name });

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Cognito.Send(new ListGroupsRequest { UserPoolId = pool, Limit = 2, NextToken = token });
            Assert.True(page.Groups!.Count <= 2);
            seen.AddRange(page.Groups.Select(g => g.GroupName!));
            token = page.NextToken;
            pages++;
        } while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(["a", "b", "c", "d", "e"], seen);
        Assert.Equal(5, (await Cognito.Send(new ListGroupsRequest { UserPoolId = pool })).Groups!.Count);

        var other = await kit.Pool();
        var first = await Cognito.Send(new ListGroupsRequest { UserPoolId = pool, Limit = 1 });
        await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new ListGroupsRequest { UserPoolId = other, NextToken = first.NextToken }));
    }

    [Fact]
    public async Task Memberships_are_listed_both_ways_with_paging()
    {
        var pool = await kit.Pool();
        foreach (var group in new[] { "g3", "g1", "g2" }) await Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = group });
        var users = new[] { "m1", "m2", "m3", "m4", "m5" };
        foreach (var user in users)
        {
            await kit.User(pool, user, ("email", $"{user}@example.com"));
            await Cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, Username = user, GroupName = "g1" });
        }
        // Adding twice changes nothing; the username is found case-insensitively.
        await Cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, Username = "M1", GroupName = "g1" });
        await Cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, Username = "m1", GroupName = "g3" });
        await Cognito.Send(new AdminAddUserToGroupRequest { UserPoolId = pool, Username = "m1", GroupName = "g2" });

        var members = new List<UserType>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Cognito.Send(new ListUsersInGroupRequest { UserPoolId = pool, GroupName = "g1", Limit = 2, NextToken = token });
            Assert.True(page.Users!.Count <= 2);
            members.AddRange(page.Users);
            token = page.NextToken;
            pages++;
        } while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(users, members.Select(u => u.Username!).Order());
        Assert.All(members, u => Assert.Equal($"{u.Username}@example.com", UsersKit.Attributes(u.Attributes)["email"]));

        var first = await Cognito.Send(new AdminListGroupsForUserRequest { UserPoolId = pool, Username = "m1", Limit = 2 });
        Assert.Equal(["g1", "g2"], first.Groups!.Select(g => g.GroupName!));
        var second = await Cognito.Send(new AdminListGroupsForUserRequest { UserPoolId = pool, Username = "m1", Limit = 2, NextToken = first.NextToken });
        Assert.Equal(["g3"], second.Groups!.Select(g => g.GroupName!));
        Assert.Null(second.NextToken);
        Assert.Equal(["g1"], (await Cognito.Send(new AdminListGroupsForUserRequest { UserPoolId = pool, Username = "m2" })).Groups!.Select(g => g.GroupName!));
        // A token for one user's groups does not page another user's.
        await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Cognito.Send(new AdminListGroupsForUserRequest { UserPoolId = pool, Username = "m2", NextToken = first.NextToken }));

        await Cognito.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = pool, Username = "m1", GroupName = "g1" });
        await Cognito.Send(new AdminRemoveUserFromGroupRequest { UserPoolId = pool, Username = "m1", GroupName = "g1" });
        Assert.Equal(["g2", "g3"], (await Cognito.Send(new AdminListGroupsForUserRequest { UserPoolId = pool, Username = "m1" })).Groups!.Select(g => g.GroupName!));
        Assert.Equal(4, (await Cognito.Send(new ListUsersInGroupRequest { UserPoolId = pool, GroupName = "g1" })).Users!.Count);

        // Deleting a group ends its memberships.
        await Cognito.Send(new DeleteGroupRequest { UserPoolId = pool, GroupName = "g2" });
        Assert.Equal(["g3"], (await Cognito.Send(new AdminListGroupsForUserRequest { UserPoolId = pool, Username = "m1" })).Groups!.Select(g => g.GroupName!));
        await Cognito.Send(new CreateGroupRequest { UserPoolId = pool, GroupName = "g2" });
        Assert.Empty((await Cognito.Send(new ListUsersInGroupRequest { UserPoolId = pool, GroupName = "g2" })).Users!);
    }
}
