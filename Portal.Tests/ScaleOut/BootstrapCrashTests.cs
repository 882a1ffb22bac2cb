using Npgsql;
using Portal.Client.Contract;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ScaleOut;

/// <summary>A process killed while it holds the start-up lock with the bootstrap half done (the administration pool made,
/// its groups, administrator and the bootstrap's record not yet): the next start takes the lock, removes what the dead one
/// left and bootstraps once.</summary>
public sealed class BootstrapCrashTests(Postgres postgres) : IClassFixture<Postgres>
{
    [Fact]
    public async Task A_start_killed_mid_bootstrap_is_followed_by_a_start_that_bootstraps_exactly_once()
    {
        var connection = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "portal_" + Guid.NewGuid().ToString("n")[..12] }.ToString();
        var folder = Path.Combine(Path.GetTempPath(), "portal-crash-" + Guid.NewGuid().ToString("n"));
        var environment = TwoProcessesOnPostgres.Environment(folder, connection);
        environment["Portal__Bootstrap__DemoPool"] = "true";
        try
        {
            await using (var killed = new PortalProcess(PortalProcess.BuildOutput, new Dictionary<string, string>(environment) { ["Portal__Bootstrap__KillAfterAdminPool"] = "true" }))
            {
                await killed.Exited(TimeSpan.FromMinutes(4));
                Assert.Contains("administration pool made; killing this process", killed.Output, StringComparison.Ordinal);
                Assert.DoesNotContain("Portal is running.", killed.Output, StringComparison.Ordinal);
                Assert.NotEqual(0, killed.ExitCode);
            }
            await using (var db = new NpgsqlConnection(connection))
            {
                await db.OpenAsync();
                Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"UserPools\" WHERE \"Name\" = 'portal-admin'"));
                Assert.Equal(0L, await Scalar(db, "SELECT count(*) FROM \"Settings\" WHERE \"Key\" = 'bootstrap'"));
            }

            await using var next = new PortalProcess(PortalProcess.BuildOutput, environment);
            await next.Running(TimeSpan.FromMinutes(4));
            Assert.Contains("left by a start that did not finish the bootstrap", next.Output, StringComparison.Ordinal);
            await using (var db = new NpgsqlConnection(connection))
            {
                await db.OpenAsync();
                Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"UserPools\" WHERE \"Name\" = 'portal-admin'"));
                Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"UserPools\" WHERE \"Name\" = 'demo'"));
                Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"Settings\" WHERE \"Key\" = 'bootstrap'"));
                Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"Settings\" WHERE \"Key\" = 'api.generated-access-key'"));
            }
            // The operator signs in to the administration pool the second start made.
            var api = TwoProcessesOnPostgres.Admin(next);
            var admin = (await api.Send(new ListUserPoolsRequest { MaxResults = 60 })).UserPools!.Single(p => p.Name == "portal-admin");
            var user = await api.Send(new AdminGetUserRequest { UserPoolId = admin.Id, Username = "admin" });
            Assert.Equal("CONFIRMED", user.UserStatus);
            var groups = await api.Send(new AdminListGroupsForUserRequest { UserPoolId = admin.Id, Username = "admin" });
            Assert.Contains(groups.Groups!, g => g.GroupName == "administrators");
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    static async Task<long> Scalar(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
