using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Server.Gateway.S3;

/// <summary>A request body checked against its signed SHA-256 while it streams to the backend: the last bytes are held
/// back until the hash of the whole body is known, so a body that does not match never reaches the backend whole.</summary>
public sealed class HashCheckingStream(Stream inner, long length, string expectedHex) : ReadOnlyForwardStream
{
    readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    long read;

    public S3Exception? Failure { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // A zero-byte read (YARP's copier waits for data with one) is no end of the body.
        if (buffer.Length == 0) return await inner.ReadAsync(buffer, cancellationToken);
        if (read >= length) return 0;
        var want = (int)Math.Min(buffer.Length, length - read);
        var n = await inner.ReadAsync(buffer[..want], cancellationToken);
        if (n == 0) throw Failure = S3Exception.IncompleteBody();
        hash.AppendData(buffer.Span[..n]);
        read += n;
        if (read == length && !string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), expectedHex, StringComparison.OrdinalIgnoreCase))
            throw Failure = S3Exception.ContentMismatch();
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) hash.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>An <c>aws-chunked</c> body (the SDKs' streaming uploads) decoded to the object's bytes: with
/// STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) every chunk's signature is checked against the previous one before any of
/// its bytes are passed on; STREAMING-UNSIGNED-PAYLOAD-TRAILER chunks carry none. The trailer (a checksum header) is read
/// and, when signed, checked too. The decoded length must be x-amz-decoded-content-length.</summary>
public sealed class AwsChunkedStream(Stream inner, long decodedLength, S3Caller caller, bool signedChunks, bool trailer) : ReadOnlyForwardStream
{
    const int MaxChunk = 16 * 1024 * 1024;
    const int MaxLine = 4096;
    static readonly string EmptyHash = S3Signature.EmptyHash;

    readonly byte[] input = new byte[64 * 1024];
    int inputStart, inputEnd;
    byte[] chunk = [];
    int chunkStart, chunkEnd;
    string previousSignature = caller.SeedSignature;
    long decoded;
    bool finished;

    public S3Exception? Failure { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0) return 0;
        try
        {
            while (chunkStart == chunkEnd)
            {
                if (finished) return 0;
                await NextChunk(cancellationToken);
            }
            var n = Math.Min(buffer.Length, chunkEnd - chunkStart);
            chunk.AsSpan(chunkStart, n).CopyTo(buffer.Span);
            chunkStart += n;
            return n;
        }
        catch (S3Exception e)
        {
            Failure = e;
            throw;
        }
    }

    async Task NextChunk(CancellationToken ct)
    {
        var header = await ReadLine(ct);
        var semicolon = header.IndexOf(';', StringComparison.Ordinal);
        var sizeText = semicolon < 0 ? header : header[..semicolon];
        if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0 || size > MaxChunk)
            throw S3Exception.InvalidArgument("Invalid chunk size.");
        string? signature = null;
        if (signedChunks)
        {
            const string prefix = "chunk-signature=";
            if (semicolon < 0 || !header[(semicolon + 1)..].StartsWith(prefix, StringComparison.Ordinal)) throw S3Exception.SignatureDoesNotMatch();
            signature = header[(semicolon + 1 + prefix.Length)..];
        }
        if (decoded + size > decodedLength) throw S3Exception.IncompleteBody();
        if (chunk.Length < size) chunk = new byte[Math.Max(size, Math.Min(MaxChunk, chunk.Length * 2))];
        await ReadExactly(chunk.AsMemory(0, size), ct);
        if (signedChunks)
        {
            var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{caller.AmzDate}\n{caller.Scope}\n{previousSignature}\n{EmptyHash}\n{Convert.ToHexStringLower(SHA256.HashData(chunk.AsSpan(0, size)))}";
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(caller.SigningKey, Encoding.UTF8.GetBytes(stringToSign)));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature!)))
                throw S3Exception.SignatureDoesNotMatch();
            previousSignature = signature!;
        }
        if (size > 0)
        {
            if (await ReadLine(ct) != "") throw S3Exception.IncompleteBody();
            decoded += size;
            chunkStart = 0;
            chunkEnd = size;
            return;
        }
        // The last chunk: then the trailer, if any, and an empty line.
        if (decoded != decodedLength) throw S3Exception.IncompleteBody();
        if (trailer)
        {
            var lines = new StringBuilder();
            string? trailerSignature = null;
            while (true)
            {
                var line = await ReadLine(ct, allowEnd: true);
                if (line.Length == 0) break;
                if (line.StartsWith("x-amz-trailer-signature:", StringComparison.OrdinalIgnoreCase)) trailerSignature = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                else lines.Append(line.Trim()).Append('\n');
                if (lines.Length > MaxLine) throw S3Exception.InvalidArgument("The trailer is too long.");
            }
            if (signedChunks && trailerSignature is null)
            {
                // Some writers put an empty line between the trailing headers and their signature.
                var line = await ReadLine(ct, allowEnd: true);
                if (line.StartsWith("x-amz-trailer-signature:", StringComparison.OrdinalIgnoreCase))
                {
                    trailerSignature = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                    await ReadLine(ct, allowEnd: true);
                }
            }
            if (signedChunks)
            {
                var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{caller.AmzDate}\n{caller.Scope}\n{previousSignature}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines.ToString())))}";
                var expected = Convert.ToHexStringLower(HMACSHA256.HashData(caller.SigningKey, Encoding.UTF8.GetBytes(stringToSign)));
                if (trailerSignature is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(trailerSignature)))
                    throw S3Exception.SignatureDoesNotMatch();
            }
        }
        else
        {
            // The final chunk's data (none) is followed by its CRLF.
            var end = await ReadLine(ct, allowEnd: true);
            if (end.Length != 0) throw S3Exception.IncompleteBody();
        }
        finished = true;
        chunkStart = chunkEnd = 0;
    }

    async Task<bool> Fill(CancellationToken ct)
    {
        if (inputStart > 0 && inputStart == inputEnd) inputStart = inputEnd = 0;
        if (inputEnd == input.Length)
        {
            Buffer.BlockCopy(input, inputStart, input, 0, inputEnd - inputStart);
            inputEnd -= inputStart;
            inputStart = 0;
        }
        var n = await inner.ReadAsync(input.AsMemory(inputEnd), ct);
        inputEnd += n;
        return n > 0;
    }

    async Task<string> ReadLine(CancellationToken ct, bool allowEnd = false)
    {
        while (true)
        {
            var lf = Array.IndexOf(input, (byte)'\n', inputStart, inputEnd - inputStart);
            if (lf >= 0)
            {
                var line = Encoding.ASCII.GetString(input, inputStart, lf - inputStart).TrimEnd('\r');
                inputStart = lf + 1;
                return line;
            }
            var pending = inputEnd - inputStart;
            if (pending > MaxLine) throw S3Exception.InvalidArgument("A chunk header is too long.");
            if (!await Fill(ct))
            {
                // The stream may end without the last CRLF.
                if (pending == 0 && allowEnd) return "";
                throw S3Exception.IncompleteBody();
            }
        }
    }

    async Task ReadExactly(Memory<byte> target, CancellationToken ct)
    {
        var filled = 0;
        while (filled < target.Length)
        {
            if (inputStart == inputEnd && !await Fill(ct)) throw S3Exception.IncompleteBody();
            var n = Math.Min(target.Length - filled, inputEnd - inputStart);
            input.AsMemory(inputStart, n).CopyTo(target[filled..]);
            inputStart += n;
            filled += n;
        }
    }
}

/// <summary>The members of a forward-only, read-only stream that YARP reads the request body from.</summary>
public abstract class ReadOnlyForwardStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
