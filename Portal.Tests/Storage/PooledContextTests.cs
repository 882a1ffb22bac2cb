using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Server.Storage;

namespace Portal.Tests.Storage;

/// <summary>Contexts are pooled (StorageSetup): a request gives its context back and a later request gets it again. Nothing
/// of the first request's operation may reach the second: not its tracked rows (another pool's, another user's), not its
/// unit of work, not its pending change notifications.</summary>
public sealed class PooledContextTests
{
    [Fact]
    public async Task A_context_given_back_keeps_nothing_of_the_request_before()
    {
        using var server = new Infrastructure.PortalServer();
        const int requests = 50;
        var firstRound = new Dictionary<PortalDb, global::Portal.Server.Engine.UnitOfWork>(ReferenceEqualityComparer.Instance);
        var scopes = Enumerable.Range(0, requests).Select(_ => server.Services.CreateAsyncScope()).ToList();
        foreach (var (scope, i) in scopes.Select((s, i) => (s, i)))
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.UserPools.Add(new UserPoolRow { Id = $"us-east-1_pooled{i:00}", Name = "left unsaved" });
            db.ConfigChanged("pool", $"us-east-1_pooled{i:00}");
            firstRound[db] = db.Work;
        }
        foreach (var scope in scopes) await scope.DisposeAsync();

        // The pool hands out what was given back first: the second round gets most of the first round's contexts again.
        var again = 0;
        var second = Enumerable.Range(0, requests).Select(_ => server.Services.CreateAsyncScope()).ToList();
        try
        {
            foreach (var scope in second)
            {
                var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
                if (!firstRound.TryGetValue(db, out var work)) continue;
                again++;
                Assert.Empty(db.ChangeTracker.Entries());
                Assert.NotSame(work, db.Work);
                Assert.False(db.Work.InOperation);
                // Its save writes nothing of the request before (the row, the change notification).
                Assert.Equal(0, await db.SaveChangesAsync());
            }
        }
        finally
        {
            foreach (var scope in second) await scope.DisposeAsync();
        }
        Assert.True(again > 0, "No context of the first round came back: the contexts are not pooled.");
        await using var check = server.Services.CreateAsyncScope();
        Assert.False(await check.ServiceProvider.GetRequiredService<PortalDb>().UserPools.AnyAsync(p => p.Id.StartsWith("us-east-1_pooled")));
    }
}
