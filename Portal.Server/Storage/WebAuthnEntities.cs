using Microsoft.EntityFrameworkCore;

namespace Portal.Server.Storage;

/// <summary>A user's passkey (WebAuthn credential): its public key and signature counter, as the authenticator registered it.</summary>
public sealed class WebAuthnCredentialRow
{
    public long Id { get; set; }
    public required string UserPoolId { get; set; }
    public required string UserSub { get; set; }
    /// <summary>The credential id, base64url as the browser writes it; unique in its pool.</summary>
    public required string CredentialId { get; set; }
    /// <summary>The COSE public key the attestation carried.</summary>
    public required byte[] PublicKey { get; set; }
    /// <summary>The authenticator's signature counter last seen: an assertion must carry a higher one (unless both are 0).</summary>
    public long SignCount { get; set; }
    /// <summary>JSON array of the transports the browser reported ("internal", "usb", "hybrid", ...).</summary>
    public string Transports { get; set; } = "[]";
    public string? Attachment { get; set; }
    public required string Name { get; set; }
    public required string RelyingPartyId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

public static class WebAuthnModel
{
    public static void Configure(ModelBuilder b) =>
        b.Entity<WebAuthnCredentialRow>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.CredentialId).HasMaxLength(1024);
            // A credential registers once per pool: a second registration of the same authenticator is refused here.
            e.HasIndex(x => new { x.UserPoolId, x.CredentialId }).IsUnique();
            e.HasIndex(x => x.UserSub);
            e.HasOne<UserRow>().WithMany().HasForeignKey(x => x.UserSub).OnDelete(DeleteBehavior.Cascade);
        });
}
