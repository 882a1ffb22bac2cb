using System.Numerics;
using System.Security.Cryptography;
using Portal.Server.Auth;

namespace Portal.Tests.Auth;

/// <summary>SRP's exponentiations through libgmp give what BigInteger.ModPow gives, on random numbers of SRP's sizes and
/// on small and edge ones; without the library the same call is BigInteger's.</summary>
public sealed class GmpTests
{
    static BigInteger Random(int bytes) => new(RandomNumberGenerator.GetBytes(bytes), isUnsigned: true, isBigEndian: true);

    [Fact]
    public void Debian_libgmp_is_found_on_this_machine()
    {
        Assert.Equal(File.Exists("/usr/lib/x86_64-linux-gnu/libgmp.so.10"), Gmp.Available);
        Assert.True(Gmp.Available, "libgmp10 is installed here; SRP would fall back to BigInteger.ModPow");
    }

    [Fact]
    public void A_thousand_random_triples_give_the_same_result_through_gmp_and_biginteger()
    {
        for (var i = 0; i < 1000; i++)
        {
            // SRP's own shapes (3,072-bit modulus N, 1,024-bit secret b, 256-bit u) and random odd and even moduli of other sizes.
            var modulus = (i % 4) switch
            {
                0 => Srp.N,
                1 => Random(384) | BigInteger.One,
                2 => Random(1 + (i % 97)) | BigInteger.One,
                _ => Random(1 + (i % 200)) + 2,
            };
            var value = (i % 5) switch
            {
                0 => Random(384 + 16),   // larger than the modulus
                1 => Srp.G,
                2 => BigInteger.Zero,
                _ => Random(1 + (i % 384)),
            };
            var exponent = Random(i % 3 == 0 ? 128 : 1 + (i % 64)) | BigInteger.One;
            var expected = BigInteger.ModPow(value, exponent, modulus);
            Assert.Equal(expected, Gmp.Native(value, exponent, modulus, secret: false));
            if (!modulus.IsEven) Assert.Equal(expected, Gmp.Native(value, exponent, modulus, secret: true));
            Assert.Equal(expected, Gmp.ModPow(value, exponent, modulus, secret: !modulus.IsEven));
        }
    }

    [Fact]
    public void Cases_gmp_does_not_take_fall_back_to_biginteger()
    {
        // A zero exponent, and a secret exponent with an even modulus (mpz_powm_sec needs an odd one).
        Assert.Equal(BigInteger.One, Gmp.ModPow(12345, BigInteger.Zero, Srp.N, secret: true));
        Assert.Equal(BigInteger.ModPow(7, 1 << 20, 1 << 16), Gmp.ModPow(7, 1 << 20, 1 << 16, secret: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gmp.Native(7, 3, 16, secret: true));
    }

    [Fact]
    public void A_verifier_and_a_claim_made_through_gmp_check_out_as_through_biginteger()
    {
        var verifier = Srp.CreateVerifier("us-east-1_GmpCheck1", "gina", "Passw0rd!x", Convert.FromHexString("8f1d2e3c4b5a69788796a5b4c3d2e1f0"));
        var x = Srp.ComputeX("GmpCheck1", "gina", "Passw0rd!x", verifier.SaltHex);
        Assert.Equal(Srp.ParseHex(verifier.VerifierHex), BigInteger.ModPow(Srp.G, x, Srp.N));
        var b = Random(128);
        var session = Srp.Start(verifier.VerifierHex, b);
        Assert.Equal((Srp.K * Srp.ParseHex(verifier.VerifierHex) + BigInteger.ModPow(Srp.G, b, Srp.N)) % Srp.N, Srp.ParseHex(session.SrpB));
    }
}
