using System.Collections.Concurrent;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.UserPools;

/// <summary>ListUsers over the wire: Cognito's filter grammar on every searchable attribute with both operators,
/// AttributesToGet, Limit, and pagination tokens that continue only the listing that made them.</summary>
[Collection(ServerCollection.Name)]
public sealed class ListUsersTests(PortalServer server)
{
    readonly UsersKit kit = new(server);
    ICognito Cognito => kit.Cognito;

    // One searched pool per server, made once: these tests only read it.
    static readonly ConcurrentDictionary<PortalServer, Lazy<Task<Searched>>> Pools = new();

    sealed record Searched(string PoolId, Dictionary<string, string> Subs);

    Task<Searched> SearchedPool() => Pools.GetOrAdd(server, _ => new Lazy<Task<Searched>>(Seed)).Value;

    async Task<Searched> Seed()
    {
        var pool = await kit.Pool();
        await kit.User(pool, "Alice.Smith", ("email", "alice@example.com"), ("phone_number", "+15550000001"), ("name", "Alice Smith"),
            ("given_name", "Alice"), ("family_name", "Smith"), ("preferred_username", "ali"));
        await kit.User(pool, "alan", ("email", "alan@example.org"), ("phone_number", "+15550000002"), ("name", "Alan Turing"),
            ("given_name", "Alan"), ("family_name", "Turing"), ("preferred_username", "al"));
        await kit.User(pool, "bob", ("email", "bob@example.com"), ("phone_number", "+4420000003"), ("name", "Bob Stone"),
            ("given_name", "Bob"), ("family_name", "Smithers"), ("preferred_username", "bobby"));
        await kit.User(pool, "carol", ("email", "carol@elsewhere.net"), ("given_name", "Carol"), ("family_name", "O\"Brien"));
        await kit.User(pool, "dave");
        await kit.User(pool, "erin", ("given_name", "Erin"));
        await Cognito.Send(new AdminDisableUserRequest { UserPoolId = pool, Username = "dave" });
        await Cognito.Send(new AdminSetUserPasswordRequest { UserPoolId = pool, Username = "erin", Password = "Perm-Passw0rd", Permanent = true });
        var all = await Cognito.Send(new ListUsersRequest { UserPoolId = pool });
        return new Searched(pool, all.Users!.ToDictionary(u => u.Username!, u => UsersKit.Attributes(u.Attributes)["sub"]!));
    }

    async Task<List<string>> Names(string pool, string? filter)
    {
        var page = await Cognito.Send(new ListUsersRequest { UserPoolId = pool, Filter = filter });
        Assert.Null(page.PaginationToken);
        return page.Users!.Select(u => u.Username!).Order(StringComparer.Ordinal).ToList();
    }

    [Theory]
    [InlineData(null, "Alice.Smith alan bob carol dave erin")]
    [InlineData("", "Alice.Smith alan bob carol dave erin")]
    [InlineData("username = \"alice.smith\"", "Alice.Smith")]
    [InlineData("username = \"ALAN\"", "alan")]
    [InlineData("username ^= \"AL\"", "Alice.Smith alan")]
    [InlineData("username = \"al\"", "")]
    [InlineData("email = \"bob@example.com\"", "bob")]
    [InlineData("email ^= \"al\"", "Alice.Smith alan")]
    [InlineData("email = \"\"", "")]
    [InlineData("phone_number = \"+15550000002\"", "alan")]
    [InlineData("phone_number ^= \"+1555\"", "Alice.Smith alan")]
    [InlineData("name = \"Bob Stone\"", "bob")]
    [InlineData("name ^= \"Al\"", "Alice.Smith alan")]
    [InlineData("given_name = \"Carol\"", "carol")]
    [InlineData("given_name ^= \"A\"", "Alice.Smith alan")]
    [InlineData("family_name = \"Smith\"", "Alice.Smith")]
    [InlineData("family_name ^= \"Smith\"", "Alice.Smith bob")]
    [InlineData("family_name = \"O\\\"Brien\"", "carol")]
    [InlineData("family_name ^= \"O\\\"\"", "carol")]
    [InlineData("preferred_username = \"al\"", "alan")]
    [InlineData("preferred_username ^= \"al\"", "Alice.Smith alan")]
    [InlineData("cognito:user_status = \"CONFIRMED\"", "erin")]
    [InlineData("cognito:user_status = \"force_change_password\"", "Alice.Smith alan bob carol dave")]
    [InlineData("cognito:user_status ^= \"Conf\"", "erin")]
    [InlineData("status = \"Disabled\"", "dave")]
    [InlineData("status = \"Enabled\"", "Alice.Smith alan bob carol erin")]
    [InlineData("status ^= \"Dis\"", "dave")]
    [InlineData("status = \"disabled\"", "")]
    [InlineData("  family_name   =   \"Smith\"  ", "Alice.Smith")]
    [InlineData("family_name=\"Smith\"", "Alice.Smith")]
    [InlineData("family_name^=\"Smith\"", "Alice.Smith bob")]
    public async Task Each_searchable_attribute_matches_exactly_or_by_prefix(string? filter, string expected)
    {
        var searched = await SearchedPool();
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), await Names(searched.PoolId, filter));
    }

    [Fact]
    public async Task The_sub_matches_exactly_or_by_prefix()
    {
        var searched = await SearchedPool();
        var sub = searched.Subs["alan"];
        Assert.Equal(["alan"], await Names(searched.PoolId, $"sub = \"{sub}\""));
        Assert.Contains("alan", await Names(searched.PoolId, $"sub ^= \"{sub[..8]}\""));
        Assert.Empty(await Names(searched.PoolId, "sub = \"00000000-0000-0000-0000-000000000000\""));
    }

    [Theory]
    [InlineData("family_name = Smith")]
    [InlineData("family_name \"Smith\"")]
    [InlineData("family_name == \"Smith\"")]
    [InlineData("family_name = \"Smith")]
    [InlineData("family_name = \"Smith\" and")]
    [InlineData("= \"Smith\"")]
    [InlineData("family_name")]
    public async Task A_malformed_filter_is_a_parse_error(string filter)
    {
        var searched = await SearchedPool();
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new ListUsersRequest { UserPoolId = searched.PoolId, Filter = filter }));
        Assert.Equal("Error while parsing filter.", e.Message);
    }

    [Theory]
    [InlineData("custom:tenant = \"acme\"", "custom:tenant")]
    [InlineData("nickname ^= \"a\"", "nickname")]
    [InlineData("Email = \"bob@example.com\"", "Email")]
    public async Task Only_the_searchable_attributes_can_be_searched(string filter, string attribute)
    {
        var searched = await SearchedPool();
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new ListUsersRequest { UserPoolId = searched.PoolId, Filter = filter }));
        Assert.Equal($"Invalid search attribute: {attribute}", e.Message);
    }

    [Fact]
    public async Task AttributesToGet_limits_the_attributes_returned()
    {
        var searched = await SearchedPool();
        var page = await Cognito.Send(new ListUsersRequest { UserPoolId = searched.PoolId, Filter = "username = \"bob\"", AttributesToGet = ["email", "given_name"] });
        var bob = Assert.Single(page.Users!);
        Assert.Equal(new Dictionary<string, string?> { ["email"] = "bob@example.com", ["given_name"] = "Bob" }, UsersKit.Attributes(bob.Attributes));
        Assert.Equal("FORCE_CHANGE_PASSWORD", bob.UserStatus);
        Assert.True(bob.Enabled);

        var e = await Assert.ThrowsAsync<InvalidParameterException>(() =>
            Cognito.Send(new ListUsersRequest { UserPoolId = searched.PoolId, AttributesToGet = ["email", "custom:nope"] }));
        Assert.Equal("One or more requested attributes do not exist.", e.Message);
    }

    [Fact]
    public async Task Unknown_pool_is_ResourceNotFound_and_Limit_above_60_is_refused()
    {
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Cognito.Send(new ListUsersRequest { UserPoolId = "us-east-1_Nonexist0" }));
        var searched = await SearchedPool();
        var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(new ListUsersRequest { UserPoolId = searched.PoolId, Limit = 61 }));
        Assert.Contains("limit", e.Message);
        Assert.Equal(6, (await Cognito.Send(new ListUsersRequest { UserPoolId = searched.PoolId, Limit = 0 })).Users!.Count);
    }

    [Fact]
    public async Task Pages_of_a_small_limit_return_every_user_once_in_order()
    {
        var pool = await kit.Pool();
        var names = Enumerable.Range(0, 7).Select(i => $"pager{i}").ToList();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
            await kit.User(pool, name, ("family_name", i < 5 ? "Pager" : "Other"), ("given_name", $"G{6 - i}"), ("email", $"{name}@example.com"));

        Assert.Equal(names, await All(pool, null, 2, expectedPages: 4));
        Assert.Equal(names.Take(5).OrderBy(n => n), (await All(pool, "family_name = \"Pager\"", 2, expectedPages: 3)).Order());
        // A prefix walks its column in order: G0 (pager6) first.
        Assert.Equal(names.AsEnumerable().Reverse(), await All(pool, "given_name ^= \"G\"", 3, expectedPages: 3));
        Assert.Equal(names, await All(pool, "email ^= \"pager\"", 1, expectedPages: 7));
        Assert.Equal(names, await All(pool, "cognito:user_status = \"FORCE_CHANGE_PASSWORD\"", 5, expectedPages: 2));
        Assert.Equal(names, await All(pool, "status = \"Enabled\"", 6, expectedPages: 2));
        Assert.Equal(names, await All(pool, "username ^= \"PAGER\"", 7, expectedPages: 1));
    }

    async Task<List<string>> All(string pool, string? filter, int limit, int expectedPages)
    {
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Cognito.Send(new ListUsersRequest { UserPoolId = pool, Filter = filter, Limit = limit, PaginationToken = token });
            Assert.True(page.Users!.Count <= limit);
            names.AddRange(page.Users.Select(u => u.Username!));
            token = page.PaginationToken;
            pages++;
        } while (token is not null && pages < 20);
        Assert.Equal(expectedPages, pages);
        Assert.Equal(names.Count, names.Distinct().Count());
        return names;
    }

    [Fact]
    public async Task A_token_continues_only_the_listing_that_made_it()
    {
        var pool = await kit.Pool();
        var other = await kit.Pool();
        foreach (var name in new[] { "t1", "t2", "t3" })
        {
            await kit.User(pool, name, ("family_name", "Token"));
            await kit.User(other, name, ("family_name", "Token"));
        }
        var first = await Cognito.Send(new ListUsersRequest { UserPoolId = pool, Filter = "family_name = \"Token\"", Limit = 1 });
        Assert.NotNull(first.PaginationToken);

        var next = await Cognito.Send(new ListUsersRequest { UserPoolId = pool, Filter = "family_name = \"Token\"", Limit = 1, PaginationToken = first.PaginationToken });
        Assert.Single(next.Users!);
        Assert.NotEqual(first.Users![0].Username, next.Users![0].Username);

        foreach (var misuse in new ListUsersRequest[]
                 {
                     new() { UserPoolId = pool, Filter = "family_name ^= \"Token\"", PaginationToken = first.PaginationToken },
                     new() { UserPoolId = pool, PaginationToken = first.PaginationToken },
                     new() { UserPoolId = other, Filter = "family_name = \"Token\"", PaginationToken = first.PaginationToken },
                     new() { UserPoolId = pool, PaginationToken = "bm90LWEtdG9rZW4" },
                     new() { UserPoolId = pool, PaginationToken = "%%%" },
                 })
        {
            var e = await Assert.ThrowsAsync<InvalidParameterException>(() => Cognito.Send(misuse));
            Assert.Equal("Paging Marker is Invalid for Request", e.Message);
        }
    }
}
