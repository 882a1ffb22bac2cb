using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Client.Contract;
using Portal.Server.Auth;
using Portal.Server.Throttling;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>Argon2id at OWASP's m=7 MiB t=5: older hashes verify and are made again on a successful sign-in; the hash
/// queue refuses its overflow at once; a user created with no password to send costs no hash to create.</summary>
[Collection(ServerCollection.Name)]
public sealed class PasswordHashTests(PortalServer server)
{
    readonly AuthKit kit = new(server);

    /// <summary>A hash as the previous release stored them: 19 MiB, 2 passes.</summary>
    static string OldHash(string password)
    {
        var encoded = new char[Geralt.Argon2id.HashSize];
        Geralt.Argon2id.ComputeHash(encoded, Encoding.UTF8.GetBytes(password), 2, 19 * 1024 * 1024);
        return new string(encoded).TrimEnd('\0');
    }

    [Fact]
    public async Task New_hashes_carry_7_MiB_and_5_passes()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "nina");
        Assert.StartsWith("$argon2id$v=19$m=7168,t=5,p=1$", (await kit.Row(app.PoolId, "nina")).PasswordHash);
    }

    [Fact]
    public async Task A_user_stored_with_a_19_MiB_hash_signs_in_and_is_rehashed_with_todays_parameters_and_a_wrong_password_changes_nothing()
    {
        var app = await kit.Pool();
        await kit.User(app.PoolId, "olga");
        var old = OldHash(AuthKit.Password);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", old);
        await kit.Change(app.PoolId, "olga", u => u.PasswordHash = old);

        var wrong = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "olga", "Wrong-Passw0rd"));
        Assert.Equal("Incorrect username or password.", wrong.Message);
        Assert.Equal(old, (await kit.Row(app.PoolId, "olga")).PasswordHash);

        var signedIn = await kit.PasswordSignIn(app, "olga");
        Assert.NotNull(signedIn.AuthenticationResult?.AccessToken);
        var rehashed = (await kit.Row(app.PoolId, "olga")).PasswordHash!;
        Assert.StartsWith("$argon2id$v=19$m=7168,t=5,p=1$", rehashed);
        Assert.False(PasswordHasher.NeedsRehash(rehashed));

        // The new hash is the same password: sign-in goes on working, and nothing is hashed again.
        Assert.NotNull((await kit.PasswordSignIn(app, "olga")).AuthenticationResult?.AccessToken);
        Assert.Equal(rehashed, (await kit.Row(app.PoolId, "olga")).PasswordHash);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "olga", "Wrong-Passw0rd"));
    }

    [Fact]
    public async Task With_2_hashing_and_3_waiting_a_sixth_request_is_refused_at_once_and_the_five_complete()
    {
        using var hasher = new PasswordHasher(Options.Create(new RateLimitOptions { PasswordHashConcurrency = 2, PasswordHashQueue = 3 }));
        var hash = await hasher.Hash(AuthKit.Password);
        // Both turns taken (as two long hashes would), so the queue is what the next requests meet.
        var first = await hasher.Enter(default);
        var second = await hasher.Enter(default);
        var waiting = Enumerable.Range(0, 3).Select(_ => hasher.Verify(hash, AuthKit.Password)).ToList();
        var overflow = hasher.Verify(hash, AuthKit.Password);

        Assert.True(overflow.IsFaulted);   // decided when it arrived, not after a wait
        var refused = await Assert.ThrowsAsync<TooManyRequestsException>(() => overflow);
        Assert.Equal(RateLimits.Message, refused.Message);
        Assert.DoesNotContain(waiting, w => w.IsCompleted);

        first.Dispose();
        second.Dispose();
        Assert.All(await Task.WhenAll(waiting), Assert.True);
        Assert.True(await hasher.Verify(hash, AuthKit.Password));   // the queue is free again
    }

    [Fact]
    public async Task N_plus_queue_plus_one_concurrent_sign_ins_see_exactly_one_refused()
    {
        using var hasher = new PasswordHasher(Options.Create(new RateLimitOptions { PasswordHashConcurrency = 1, PasswordHashQueue = 2 }));
        var hash = await hasher.Hash(AuthKit.Password);
        var held = await hasher.Enter(default);
        // Of 1 + 2 + 1 at once (the one turn is held by the first), exactly the one past the queue is refused.
        var requests = Enumerable.Range(0, 3).Select(_ => hasher.Verify(hash, AuthKit.Password)).ToList();
        held.Dispose();
        var outcomes = await Task.WhenAll(requests.Select(async r =>
        {
            try { return await r ? "signed in" : "wrong"; }
            catch (TooManyRequestsException) { return "refused"; }
        }));
        Assert.Equal(["refused", "signed in", "signed in"], outcomes.Order());
    }

    [Fact]
    public async Task AdminCreateUser_suppressed_without_a_temporary_password_hashes_nothing_and_no_password_signs_in_until_one_is_set()
    {
        var app = await kit.Pool();
        var hasher = server.Services.GetRequiredService<PasswordHasher>();
        var before = hasher.Spent;
        var created = await kit.Admin.Send(new AdminCreateUserRequest { UserPoolId = app.PoolId, Username = "pia", MessageAction = "SUPPRESS" });
        Assert.Equal(before, hasher.Spent);
        Assert.Equal("FORCE_CHANGE_PASSWORD", created.User!.UserStatus);
        var row = await kit.Row(app.PoolId, "pia");
        Assert.Null(row.PasswordHash);
        Assert.Null(row.SrpVerifier);

        // No password opens it, and trying costs what a wrong password costs anyone.
        before = hasher.Spent;
        var refused = await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.PasswordSignIn(app, "pia", AuthKit.Password));
        Assert.Equal("Incorrect username or password.", refused.Message);
        Assert.Equal(1, hasher.Spent - before);
        await Assert.ThrowsAsync<NotAuthorizedException>(() => kit.SrpSignIn(app, "pia"));

        await kit.Admin.Send(new AdminSetUserPasswordRequest { UserPoolId = app.PoolId, Username = "pia", Password = AuthKit.Password, Permanent = true });
        Assert.NotNull((await kit.PasswordSignIn(app, "pia")).AuthenticationResult?.AccessToken);
        Assert.NotNull((await kit.SrpSignIn(app, "pia")).AuthenticationResult?.AccessToken);
    }

    [Fact]
    public async Task AdminCreateUser_with_a_message_or_a_given_temporary_password_still_sets_one()
    {
        var app = await kit.Pool();
        await kit.Admin.Send(new AdminCreateUserRequest
        {
            UserPoolId = app.PoolId, Username = "quin", MessageAction = "SUPPRESS", TemporaryPassword = AuthKit.Password,
        });
        Assert.StartsWith("$argon2id$", (await kit.Row(app.PoolId, "quin")).PasswordHash);
        var challenge = await kit.PasswordSignIn(app, "quin");
        Assert.Equal("NEW_PASSWORD_REQUIRED", challenge.ChallengeName);
    }

    [Fact]
    public async Task Each_hash_counts_its_own_threads_CPU_time_by_cost_and_not_its_wait_for_a_turn()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var hasher = new PasswordHasher(Options.Create(new RateLimitOptions { PasswordHashConcurrency = 1 }), meters);
        var counted = new List<(string Instrument, double Value, string? Cost)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This hasher's instruments only: the test servers running beside this test hash too, on meters of the same name.
            if (instrument.Name.StartsWith("portal.password_hash", StringComparison.Ordinal) && ReferenceEquals(instrument.Meter.Scope, meters))
                l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? cost = null;
            foreach (var tag in tags) if (tag.Key == "cost") cost = tag.Value as string;
            lock (counted) counted.Add((instrument.Name, value, cost));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();

        var hash = await hasher.Hash(AuthKit.Password);
        // The one turn held for half a second: the verify waits that long, and none of it is CPU.
        var held = await hasher.Enter(default);
        var watch = Stopwatch.StartNew();
        var verify = hasher.Verify(hash, AuthKit.Password);
        await Task.Delay(500);
        held.Dispose();
        Assert.True(await verify);
        var waitedAndVerified = watch.Elapsed.TotalSeconds;
        hasher.HashAtMinimumCost(AuthKit.Password);

        var cpu = counted.Where(c => c.Instrument == "portal.password_hash.cpu_time").ToList();
        Assert.Equal([("full", 1L), ("full", 1L), ("minimum", 1L)],
            counted.Where(c => c.Instrument == "portal.password_hashes").Select(c => (c.Cost!, (long)c.Value)));
        Assert.Equal(["full", "full", "minimum"], cpu.Select(c => c.Cost));
        // Argon2id at 7 MiB and 5 passes is milliseconds of work on any machine; the wait is not in it.
        Assert.All(cpu.Take(2), c => Assert.InRange(c.Value, 0.001, 0.4));
        Assert.True(cpu[1].Value < waitedAndVerified - 0.4, $"verify counted {cpu[1].Value:F3} s of CPU after {waitedAndVerified:F3} s waiting and verifying");
        Assert.True(cpu[2].Value < cpu[0].Value, "the minimum cost costs less than the full one");
    }

    [Fact]
    public void The_servers_hasher_reports_to_its_metrics()
    {
        // The one /metrics scrapes (the in-process counting itself is the test above; a scrape of a shared test server is
        // not: another test server's meter of the same name, disposed, ends the exported series in this process).
        Assert.True(server.Services.GetRequiredService<PasswordHasher>().Metered);
    }
}
