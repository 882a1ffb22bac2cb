using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;

namespace Portal.Server.Federation.Saml;

/// <summary>The SAML HTTP-Redirect binding: a message deflated and base64-encoded in the query (SAMLRequest or
/// SAMLResponse), with its RelayState, and signed (RSA-SHA256) over the query as sent, without the Signature parameter.</summary>
public static class SamlRedirectBinding
{
    public const string RsaSha256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    /// <summary>The URL that carries <paramref name="message"/> to <paramref name="destination"/>; signed when a certificate is given.</summary>
    public static string Url(string destination, string parameter, XElement message, string? relayState, X509Certificate2? signWith)
    {
        var query = parameter + "=" + Uri.EscapeDataString(Deflate(message.ToString(SaveOptions.DisableFormatting)));
        if (relayState is not null) query += "&RelayState=" + Uri.EscapeDataString(relayState);
        if (signWith is not null)
        {
            query += "&SigAlg=" + Uri.EscapeDataString(RsaSha256);
            using var rsa = signWith.GetRSAPrivateKey()!;
            var signature = rsa.SignData(Encoding.UTF8.GetBytes(query), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            query += "&Signature=" + Uri.EscapeDataString(Convert.ToBase64String(signature));
        }
        return destination + (destination.Contains('?') ? "&" : "?") + query;
    }

    /// <summary>Whether the received query (raw, as sent) carries a valid RSA-SHA256 signature of the message
    /// <paramref name="parameter"/> by one of <paramref name="certificates"/>.</summary>
    public static bool Verify(string? rawQuery, string parameter, IEnumerable<X509Certificate2> certificates)
    {
        var raw = rawQuery?.TrimStart('?').Split('&') ?? [];
        string? Part(string name) => raw.FirstOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal));
        if (Part("SigAlg") is not { } sigAlg || Uri.UnescapeDataString(sigAlg["SigAlg=".Length..]) != RsaSha256) return false;
        if (Part("Signature") is not { } encoded) return false;
        byte[] signature;
        try { signature = Convert.FromBase64String(Uri.UnescapeDataString(encoded["Signature=".Length..])); }
        catch (FormatException) { return false; }
        var signed = Encoding.UTF8.GetBytes(string.Join("&", new[] { Part(parameter), Part("RelayState"), sigAlg }.Where(p => p is not null)));
        foreach (var certificate in certificates)
        {
            using var rsa = certificate.GetRSAPublicKey();
            if (rsa is not null && rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) return true;
        }
        return false;
    }

    public static string Deflate(string xml)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(Encoding.UTF8.GetBytes(xml));
        return Convert.ToBase64String(buffer.ToArray());
    }

    /// <summary>A deflated message, at most <paramref name="maxCharacters"/> long (InvalidDataException beyond).</summary>
    public static string Inflate(byte[] bytes, int maxCharacters)
    {
        using var inflate = new DeflateStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(inflate, Encoding.UTF8);
        var buffer = new char[maxCharacters];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        if (!reader.EndOfStream) throw new InvalidDataException("the message is too long");
        return new string(buffer, 0, read);
    }
}
