using Portal.Client.Contract;

namespace Portal.Server.Engine;

/// <summary>One Cognito operation: validation, work in one transaction, errors.</summary>
public interface IOperation<TRequest, TResponse> where TRequest : ICognitoRequest<TResponse> where TResponse : new()
{
    Task<TResponse> Handle(TRequest request, CancellationToken ct);
}

/// <summary>The engine's <see cref="ICognito"/>: every request, from the wire or the portal, comes through here.
/// Each call runs in its own DI scope, so each operation is its own unit of work.</summary>
public sealed class Dispatcher(IServiceScopeFactory scopes) : ICognito
{
    public async Task<TResponse> Send<TResponse>(ICognitoRequest<TResponse> request, CancellationToken ct = default)
        where TResponse : new()
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Validate(request);
        await using var scope = scopes.CreateAsyncScope();
        var handlerType = typeof(IOperation<,>).MakeGenericType(request.GetType(), typeof(TResponse));
        var handler = scope.ServiceProvider.GetService(handlerType)
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
    /// <summary>Registers the dispatcher (the engine, for the wire and trusted server code) and every <see cref="IOperation{TRequest,TResponse}"/> in this assembly.</summary>
    public static IServiceCollection AddCognitoEngine(this IServiceCollection services)
    {
        services.AddSingleton<Dispatcher>();
        foreach (var type in typeof(Dispatcher).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
            foreach (var op in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IOperation<,>)))
                services.AddScoped(op, type);
        return services;
    }
}
