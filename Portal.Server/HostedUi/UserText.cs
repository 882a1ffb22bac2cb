using System.Globalization;

namespace Portal.Server.HostedUi;

/// <summary>A sentence for the user, kept as a key of <see cref="Texts"/> (with its arguments) until the page that shows
/// it knows the page's language. <see cref="Engine"/> is for an error of the engine or of a trigger: translated when it
/// is one of the engine's known sentences (<see cref="EngineMessages"/>), else (a pre sign-up Lambda's own message) shown as it is.</summary>
public sealed class UserText
{
    readonly string? key;
    readonly string[] args;
    readonly string? engine;

    UserText(string? key, string[] args, string? engine) => (this.key, this.args, this.engine) = (key, args, engine);

    /// <summary>The words of <paramref name="key"/>, with <paramref name="args"/> in its <c>{0}</c>, <c>{1}</c>.</summary>
    public static UserText Of(string key, params string[] args) => new(key, args, null);

    /// <summary>The message of an engine error (or of a trigger, through the engine).</summary>
    public static UserText Engine(string message) => new(null, [], message);

    /// <summary>The key of <see cref="Texts"/> it says, or null for an engine message.</summary>
    public string? Key => key;

    /// <summary>The sentence in the language of <paramref name="texts"/>.</summary>
    public string In(Texts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (key is null) return EngineMessages.Say(engine!, texts);
        return args.Length == 0 ? texts[key] : string.Format(CultureInfo.InvariantCulture, texts[key], args);
    }

    public override string ToString() => In(Texts.For("en", null));
}
