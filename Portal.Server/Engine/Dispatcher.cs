using Portal.Client.Contract;
using Portal.Server.Storage;

namespace Portal.Server.Engine;

/// <summary>One Cognito operation: its checks, its work and its errors. It never opens a transaction or writes an audit
/// entry: the dispatcher's behaviours do (see <see cref="Dispatcher"/>).</summary>
public interface IOperation<TRequest, TResponse> where TRequest : ICognitoRequest<TResponse> where TResponse : new()
{
    Task<TResponse> Handle(TRequest request, CancellationToken ct);
}

/// <summary>Who sends an operation, for the audit log: the portal's operator (with what the change is about to alter, as
/// the engine described it), or the access key id that signed a wire request ("anonymous" when unsigned).</summary>
public sealed record Caller(string Actor, bool FromPortal = false, object? Before = null)
{
    public static Caller Wire(string? accessKeyId) => new(accessKeyId ?? "anonymous");
}

/// <summary>
/// The engine's <see cref="ICognito"/>: every request, from the wire, the portal or the server itself, comes through here
/// and runs inside a short pipeline of behaviours, outermost first, as eShop's MediatR behaviours and OpenIddict's
/// handlers do:
/// <list type="number">
/// <item>metrics: count, errors by AWS error code, duration (<see cref="OperationMetrics"/>);</item>
/// <item>validation of the request against its record's constraints (<see cref="RequestValidator"/>);</item>
/// <item>the unit of work: a DI scope and one database transaction, begun at the first write and committed only when
/// the handler succeeds (<see cref="UnitOfWork"/>);</item>
/// <item>audit: a state-changing operation of the portal or the wire is written to the audit log in that same
/// transaction (<see cref="OperationAudit"/>);</item>
/// <item>the handler.</item>
/// </list>
/// A call made while an operation runs (a service of the operation sending another request) joins the running
/// operation's scope and transaction instead of opening a second one, which on SQLite would wait for the first's lock.
/// </summary>
public sealed class Dispatcher(IServiceScopeFactory scopes, OperationMetrics metrics, TimeProvider clock, Testing.PoolClocks clocks, ILogger<Dispatcher> log)
    : ICognito
{
    /// <summary>The operation running in this async flow, if any (flows like Activity.Current: nested sends join it).</summary>
    static readonly AsyncLocal<Running?> Current = new();

    sealed class Running(IServiceProvider services)
    {
        public IServiceProvider Services { get; } = services;
        public bool Active { get; set; } = true;
    }

    public Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default) where TResponse : new() =>
        Send(request, null, ct);

    /// <summary>Sends the request on behalf of <paramref name="caller"/> (audited when it changes state), or of the
    /// server itself when null (not audited: start-up work, the hosted UI's public operations).</summary>
    public async Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, Caller? caller, CancellationToken ct = default)
        where TResponse : new()
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Current.Value is { Active: true } outer)
        {
            RequestValidator.Validate(request);
            return await Invoke(outer.Services, request, ct);
        }
        var name = Operations.NameOf(request.GetType());
        var started = clock.GetTimestamp();
        string? error = null;
        try
        {
            RequestValidator.Validate(request);
            return await InUnitOfWork(request, name, caller, ct);
        }
        catch (CognitoException e)
        {
            error = e.Type;
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "Canceled";
            throw;
        }
        catch
        {
            error = "InternalErrorException";
            throw;
        }
        finally
        {
            metrics.Record(name, error, clock.GetElapsedTime(started));
        }
    }

    async Task<TResponse> InUnitOfWork<TResponse>(ICognitoRequest<TResponse> request, string name, Caller? caller, CancellationToken ct)
        where TResponse : new()
    {
        await using var scope = scopes.CreateAsyncScope();
        // Testing mode: the operation reads the clock of the pool it is about (see PoolClocks).
        using var poolClock = clocks.Begin();
        var db = scope.ServiceProvider.GetRequiredService<PortalDb>();
        var running = new Running(scope.ServiceProvider);
        Current.Value = running;
        db.Work.Start();
        TResponse response;
        IReadOnlyList<AfterCommitWork> afterCommit;
        try
        {
            response = await Invoke(scope.ServiceProvider, request, ct);
            var audited = OperationAudit.Audited(request.GetType(), caller);
            if (audited)
                db.Audit.Add(OperationAudit.Entry(caller!, name, request, response, clock.GetUtcNow(), scope.ServiceProvider.GetRequiredService<AuditTarget>().Name));
            afterCommit = await db.Work.Complete(audited, ct);
        }
        catch
        {
            await db.Work.Fail(log);
            throw;
        }
        finally
        {
            running.Active = false;
            Current.Value = null;
        }
        // Committed: the caller's token no longer decides for the messages (they go even if it has gone), and a failure
        // of such work does not make the committed operation look failed. Work that answers (a Post* trigger) is the
        // caller's: its error is the operation's answer, the committed change stays.
        Exception? answer = null;
        foreach (var work in afterCommit)
        {
            try
            {
                await work.Run(work.Answers ? ct : CancellationToken.None);
            }
            catch (Exception e) when (work.Answers && answer is null)
            {
                answer = e;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogWarning(e, "Work after {Operation} was committed failed", name);
            }
        }
        if (answer is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(answer);
        return response;
    }

    static async Task<TResponse> Invoke<TResponse>(IServiceProvider services, ICognitoRequest<TResponse> request, CancellationToken ct)
        where TResponse : new()
    {
        var handlerType = typeof(IOperation<,>).MakeGenericType(request.GetType(), typeof(TResponse));
        var handler = services.GetService(handlerType)
                      ?? throw new UnknownOperationException($"Operation {Operations.NameOf(request.GetType())} is not supported by this endpoint.");
        return await Invoker<TResponse>.For(request.GetType())(handler, request, ct);
    }

    /// <summary>Typed call of Handle without reflection per request (compiled once per request type).</summary>
    static class Invoker<TResponse> where TResponse : new()
    {
        static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Func<object, object, CancellationToken, Task<TResponse>>> Cache = new();

        public static Func<object, object, CancellationToken, Task<TResponse>> For(Type requestType) =>
            Cache.GetOrAdd(requestType, t =>
            {
                var method = typeof(Invoker<TResponse>).GetMethod(nameof(Call), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(t);
                return method.CreateDelegate<Func<object, object, CancellationToken, Task<TResponse>>>();
            });

        static Task<TResponse> Call<TRequest>(object handler, object request, CancellationToken ct) where TRequest : ICognitoRequest<TResponse> =>
            ((IOperation<TRequest, TResponse>)handler).Handle((TRequest)request, ct);
    }
}

public static class EngineSetup
{
    /// <summary>Registers the dispatcher (the engine, for the wire and trusted server code), its metrics, and every
    /// <see cref="IOperation{TRequest,TResponse}"/> in this assembly.</summary>
    public static IServiceCollection AddCognitoEngine(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<OperationMetrics>();
        services.AddSingleton<Dispatcher>();
        services.AddScoped<AuditTarget>();
        foreach (var type in typeof(Dispatcher).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
            foreach (var op in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IOperation<,>)))
                services.AddScoped(op, type);
        return services;
    }
}
