namespace Portal.Server.Storage;

/// <summary>Migrations and the bootstrap (Program.cs) run on another core while the request pipeline is set up, instead
/// of before it. This is the first hosted service, and its start waits for that work: the other hosted services, and the
/// web host (always started last), so the port, start only once it is done, as they did when it ran first.</summary>
public sealed class StartupWork : IHostedService
{
    Task? work;

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<StartupWork>();
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<StartupWork>()));
    }

    public void Begin(Func<Task> run) => work = Task.Run(run);

    public Task StartAsync(CancellationToken ct) =>
        (work ?? throw new InvalidOperationException("The start-up work was not begun (Program.cs calls StartupWork.Begin).")).WaitAsync(ct);

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
