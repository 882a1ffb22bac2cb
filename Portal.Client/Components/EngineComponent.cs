using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Client.Contract;

namespace Portal.Client.Components;

/// <summary>A portal component that sends requests to the engine. <see cref="Run"/> is the one way its buttons call an
/// operation: busy while the call runs, the success snackbar when it worked, the engine's error where the caller shows it.</summary>
public abstract class EngineComponent : ComponentBase
{
    [Inject] protected ICognito Cognito { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;

    /// <summary>True while a call made with <see cref="Run"/> is under way: the component's buttons are disabled.</summary>
    protected bool Busy { get; private set; }

    /// <summary>Sets <see cref="Busy"/>, runs <paramref name="call"/>, then shows <paramref name="done"/> as a success
    /// snackbar, or hands the engine's error to <paramref name="failed"/> (an error snackbar when there is none).
    /// Clears <see cref="Busy"/> either way. Answers whether the call worked.</summary>
    protected async Task<bool> Run(Func<Task> call, string? done = null, Action<CognitoException>? failed = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        Busy = true;
        try
        {
            await call();
            if (done is not null) Snackbar.Add(done, Severity.Success);
            return true;
        }
        catch (CognitoException e)
        {
            if (failed is null) Snackbar.Add(CognitoErrors.Describe(e), Severity.Error);
            else failed(e);
            return false;
        }
        finally
        {
            Busy = false;
        }
    }
}
