using System.Net;
using Npgsql;
using Portal.Client.Contract;
using Portal.Client.Remote;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.ScaleOut;

/// <summary>Several Portal processes started at once on one empty database, as an orchestrator starts replicas: one at a
/// time migrates and bootstraps under the database's start-up lock, and all come up on the same administration pool.</summary>
public sealed class StartupRaceTests(Postgres postgres) : IClassFixture<Postgres>
{
    const int Instances = 4;
    static readonly TimeSpan StartWithin = TimeSpan.FromMinutes(4);

    static Dictionary<string, string> Environment(string dataFolder) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Portal__Storage__DataFolder"] = dataFolder,
        ["Portal__Bootstrap__AdminPassword"] = PortalServer.AdminPassword,
        ["Portal__Api__AccessKeys__0__AccessKeyId"] = PortalServer.AccessKeyId,
        ["Portal__Api__AccessKeys__0__SecretAccessKey"] = PortalServer.SecretAccessKey,
    };

    [Fact]
    public async Task Four_instances_started_at_once_on_an_empty_PostgreSQL_database_all_come_up_on_one_administration_pool()
    {
        var connection = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = "portal_" + Guid.NewGuid().ToString("n")[..12] }.ToString();
        var folder = Path.Combine(Path.GetTempPath(), "portal-startup-" + Guid.NewGuid().ToString("n"));
        var environment = Environment(folder);
        environment["Portal__Storage__Provider"] = "PostgreSQL";
        environment["Portal__Storage__ConnectionString"] = connection;
        try
        {
            await StartAllAndCheck(environment);
            await using var db = new NpgsqlConnection(connection);
            await db.OpenAsync();
            Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"UserPools\" WHERE \"Name\" = 'portal-admin'"));
            Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"UserPools\" WHERE \"Name\" = 'demo'"));
            Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"Settings\" WHERE \"Key\" = 'api.generated-access-key'"));
            Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"Settings\" WHERE \"Key\" = 'bootstrap'"));
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Four_instances_started_at_once_on_a_new_SQLite_file_all_come_up_on_one_administration_pool()
    {
        var folder = Path.Combine(Path.GetTempPath(), "portal-startup-" + Guid.NewGuid().ToString("n"));
        try
        {
            await StartAllAndCheck(Environment(folder));
            await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "portal.db")};Pooling=false");
            await db.OpenAsync();
            Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"UserPools\" WHERE \"Name\" = 'portal-admin'"));
            Assert.Equal(1L, await Scalar(db, "SELECT count(*) FROM \"Settings\" WHERE \"Key\" = 'api.generated-access-key'"));
        }
        finally
        {
            try { Directory.Delete(folder, true); } catch (IOException) { }
        }
    }

    /// <summary>All started at once; each ready, and each shows the operator one administration pool and one demo pool.</summary>
    static async Task StartAllAndCheck(Dictionary<string, string> environment)
    {
        var instances = Enumerable.Range(0, Instances).Select(_ => new PortalProcess(PortalProcess.BuildOutput, environment)).ToList();
        try
        {
            await Task.WhenAll(instances.Select(i => i.Running(StartWithin)));
            using var http = new HttpClient();
            foreach (var instance in instances)
            {
                using var ready = await http.GetAsync(instance.BaseUrl + "/readyz");
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                var api = new RemoteCognito(new HttpClient { BaseAddress = new Uri(instance.BaseUrl + "/") },
                    new RemoteCognito.Credentials(PortalServer.AccessKeyId, PortalServer.SecretAccessKey));
                var pools = await api.Send(new ListUserPoolsRequest { MaxResults = 60 });
                Assert.Single(pools.UserPools!, p => p.Name == "portal-admin");
                Assert.Single(pools.UserPools!, p => p.Name == "demo");
                Assert.DoesNotContain("Unhandled exception", instance.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var instance in instances) await instance.DisposeAsync();
        }
    }

    static async Task<long> Scalar(System.Data.Common.DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
