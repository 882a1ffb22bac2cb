using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Server.Storage;

namespace Portal.Server.Testing;

/// <summary><c>Portal:Testing:FastPasswordHashing</c>: pools created while testing mode is on are marked (a settings row),
/// and while the mode and the option are both on their passwords are hashed at Argon2id's minimum cost
/// (<see cref="Auth.PasswordHasher.MinimumCost"/>, recognisable by its encoded parameters). With either off, such a
/// hash still verifies once and is made again at full cost in that sign-in's unit of work.</summary>
public sealed class FastHashing(PortalDb db, IOptions<TestingOptions> options)
{
    public const string Prefix = "testing/created/";

    /// <summary>Marks a pool just created (saved with the caller's unit of work) when testing mode is on.</summary>
    public void Created(string userPoolId)
    {
        if (options.Value.Enabled) db.Settings.Add(new SettingRow { Key = Prefix + userPoolId, Value = "1" });
    }

    /// <summary>Whether the pool's passwords may be hashed (and kept) at the minimum cost now.</summary>
    public async Task<bool> For(string userPoolId, CancellationToken ct)
    {
        if (options.Value is not { Enabled: true, FastPasswordHashing: true }) return false;
        // The key as a variable, not `Prefix + userPoolId` in the lambda: EF compiles a computed argument on every call.
        var key = Prefix + userPoolId;
        return await db.Settings.AsNoTracking().AnyAsync(s => s.Key == key, ct);
    }
}
