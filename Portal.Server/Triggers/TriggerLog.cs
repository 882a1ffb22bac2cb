using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Server.Storage;

namespace Portal.Server.Triggers;

/// <summary>
/// The invocation log: an invocation is kept even when the step that made it is rolled back: inside an operation it is a
/// durable row of the operation's unit of work (a second connection would wait for the operation's lock on SQLite),
/// elsewhere it is written in a scope (and DbContext) of its own. Passwords, codes, challenge answers and private challenge parameters are redacted.
/// Rows older than Portal:Triggers:RetentionDays are swept as new ones are written.
/// </summary>
public sealed class TriggerLog(IServiceScopeFactory scopes, IOptions<TriggerOptions> options, TimeProvider clock, ILogger<TriggerLog> logger)
{
    const int MaxTextChars = 256 * 1024;
    static readonly HashSet<string> Secret = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "temporaryPassword", "newPassword", "NEW_PASSWORD", "codeParameter", "code", "challengeAnswer", "ANSWER",
        "privateChallengeParameters", "secret", "SECRET_HASH",
    };

    long lastSweep;

    public async Task Record(string poolId, string trigger, string source, string? userName, TriggerRun run, PortalDb? operation = null)
    {
        var row = new TriggerInvocationRow
        {
            Id = Guid.NewGuid(), UserPoolId = poolId, Trigger = trigger, TriggerSource = source, UserName = userName,
            Target = run.Target, StartedAt = run.StartedAt, DurationMs = run.DurationMs, Outcome = run.Outcome,
            Event = Redact(run.Event) ?? "{}", Response = Redact(run.Response), Logs = Cap(run.Logs), Error = Cap(run.Error),
        };
        if (operation is { Work.InOperation: true })
        {
            operation.Work.AddDurably(row);
            if (SweepDue()) await operation.Work.Durably(c => Sweep(operation, c), CancellationToken.None);
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
            db.TriggerInvocations.Add(row);
            await db.SaveChangesAsync(CancellationToken.None);
            if (SweepDue()) await Sweep(db, CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
        {
            // The log is an aid: a failure to write it does not fail the sign-in it describes.
            logger.LogWarning(e, "Recording a {Trigger} invocation of pool {PoolId} failed", trigger, poolId);
        }
    }

    // Sweeping at most every ten minutes keeps it off the sign-in path.
    bool SweepDue()
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var last = Interlocked.Read(ref lastSweep);
        return now - last >= 600 && Interlocked.CompareExchange(ref lastSweep, now, last) == last;
    }

    /// <summary>Deletes the invocations older than the retention period; returns how many.</summary>
    public async Task<int> Sweep(PortalDb db, CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(Math.Max(1, options.Value.RetentionDays));
        return await db.TriggerInvocations.Where(t => t.StartedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    /// <summary>The JSON with the values of secret members replaced (at any depth); text that is not JSON is kept as is.</summary>
    public static string? Redact(string? json)
    {
        if (json is null) return null;
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return Cap(json);
        }
        Walk(node);
        return Cap(node?.ToJsonString() ?? "null");
    }

    static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (Secret.Contains(name) && o[name] is not null) o[name] = o[name] is JsonObject ? new JsonObject { ["***"] = "redacted" } : "***";
                    else Walk(o[name]);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Walk(item);
                break;
        }
    }

    static string? Cap(string? text) => text is { Length: > MaxTextChars } ? text[..MaxTextChars] + "…" : text;
}
