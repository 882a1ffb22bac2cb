using System.Numerics;
using System.Runtime.InteropServices;

namespace Portal.Server.Auth;

/// <summary>
/// Modular exponentiation through the GNU MP library (Debian's libgmp.so.10, package libgmp10) when it is installed, and
/// <see cref="BigInteger.ModPow"/> when it is not. SRP's three 3,072-bit exponentiations cost about 23 ms with
/// BigInteger and a fraction of that with GMP. A secret exponent goes through <c>mpz_powm_sec</c>, whose time and memory
/// accesses do not depend on the exponent's bits; a public one through <c>mpz_powm</c>. GMP's numbers are allocated
/// and freed inside one call: nothing native outlives it.
/// </summary>
static partial class Gmp
{
    const string Library = "libgmp.so.10";
    const int MpzSize = 16;   // mpz_t on a 64-bit platform: int _mp_alloc, int _mp_size, mp_limb_t* _mp_d

    /// <summary>Whether the library was found (checked once).</summary>
    public static bool Available { get; } = Probe();

    /// <summary>value^exponent mod modulus, through GMP when it is there; <paramref name="secret"/> when the exponent
    /// (or, for a verifier, the password-derived x) must not show in the time taken.</summary>
    public static BigInteger ModPow(BigInteger value, BigInteger exponent, BigInteger modulus, bool secret) =>
        Available && Suits(value, exponent, modulus, secret)
            ? Native(value, exponent, modulus, secret)
            : BigInteger.ModPow(value, exponent, modulus);

    // mpz_powm_sec needs an odd modulus and a positive exponent; the rest is kept to BigInteger's own cases.
    static bool Suits(BigInteger value, BigInteger exponent, BigInteger modulus, bool secret) =>
        value.Sign >= 0 && exponent.Sign > 0 && modulus.Sign > 0 && !(secret && modulus.IsEven);

    /// <summary>GMP itself (the library must be present and the arguments suit it); the tests compare it with BigInteger.</summary>
    internal static BigInteger Native(BigInteger value, BigInteger exponent, BigInteger modulus, bool secret)
    {
        if (!Suits(value, exponent, modulus, secret)) throw new ArgumentOutOfRangeException(nameof(exponent), "GMP's exponentiation needs non-negative numbers, a positive exponent and, when secret, an odd modulus.");
        var numbers = Marshal.AllocHGlobal(4 * MpzSize);
        var (b, e, m, r) = (numbers, numbers + MpzSize, numbers + (2 * MpzSize), numbers + (3 * MpzSize));
        Init(b);
        Init(e);
        Init(m);
        Init(r);
        try
        {
            Import(b, value);
            Import(e, exponent);
            Import(m, modulus);
            if (secret) PowmSec(r, b, e, m);
            else Powm(r, b, e, m);
            var bytes = new byte[modulus.GetByteCount(isUnsigned: true)];
            Export(bytes, out var count, 1, 1, 1, 0, r);
            return new BigInteger(bytes.AsSpan(0, (int)count), isUnsigned: true, isBigEndian: true);
        }
        finally
        {
            Clear(b);
            Clear(e);
            Clear(m);
            Clear(r);
            Marshal.FreeHGlobal(numbers);
        }
    }

    static void Import(nint into, BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        Import(into, (nuint)bytes.Length, 1, 1, 1, 0, bytes);
    }

    static bool Probe()
    {
        try
        {
            return NativeLibrary.TryLoad(Library, typeof(Gmp).Assembly, null, out var handle)
                   && NativeLibrary.TryGetExport(handle, "__gmpz_powm_sec", out _)
                   && Native(3, 5, 7, secret: true) == 5;   // 3^5 = 243 = 34·7 + 5
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    // gmp.h names these mpz_* through macros; the exported symbols are __gmpz_*.
    [LibraryImport(Library, EntryPoint = "__gmpz_init")]
    private static partial void Init(nint x);

    [LibraryImport(Library, EntryPoint = "__gmpz_clear")]
    private static partial void Clear(nint x);

    [LibraryImport(Library, EntryPoint = "__gmpz_import")]
    private static partial void Import(nint rop, nuint count, int order, nuint size, int endian, nuint nails, ReadOnlySpan<byte> op);

    [LibraryImport(Library, EntryPoint = "__gmpz_export")]
    private static partial nint Export(Span<byte> rop, out nuint count, int order, nuint size, int endian, nuint nails, nint op);

    [LibraryImport(Library, EntryPoint = "__gmpz_powm")]
    private static partial void Powm(nint rop, nint @base, nint exp, nint mod);

    [LibraryImport(Library, EntryPoint = "__gmpz_powm_sec")]
    private static partial void PowmSec(nint rop, nint @base, nint exp, nint mod);
}
