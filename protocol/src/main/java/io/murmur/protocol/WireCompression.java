package io.murmur.protocol;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * zlib (RFC 1950: deflate with an Adler-32 trailer) for {@link WireSecurity}. One deflater and one inflater per
 * thread, reset between uses: creating them per packet costs more than compressing a packet.
 */
final class WireCompression {

    private static final ThreadLocal<Deflater> DEFLATERS =
            ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION));
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(Inflater::new);

    private WireCompression() {}

    /** The zlib stream of {@code length} bytes at {@code offset}, or null when it is not smaller than the input. */
    static byte[] deflateIfSmaller(byte[] buffer, int offset, int length) {
        if (length < 16) {
            return null; // zlib's header and trailer alone are 6 bytes
        }
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        try {
            deflater.setInput(buffer, offset, length);
            deflater.finish();
            byte[] out = new byte[length - 1];
            int n = 0;
            while (!deflater.finished() && n < out.length) {
                n += deflater.deflate(out, n, out.length - n);
            }
            return deflater.finished() ? Arrays.copyOf(out, n) : null;
        } finally {
            deflater.reset();
        }
    }

    /** Thrown to the caller in {@link WireSecurity}, which turns it into a rejection. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Inflates {@code length} bytes at {@code offset} into a new array, leaving {@code headroom} bytes free in front.
     * Stops and fails as soon as the output would pass {@code maxOutput} bytes, so a zip bomb costs at most that much
     * memory and the time to inflate it.
     */
    static byte[] inflate(byte[] buffer, int offset, int length, int maxOutput, int headroom) throws Failure {
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        try {
            inflater.setInput(buffer, offset, length);
            int limit = headroom + maxOutput + 1; // one byte past the limit proves the limit was passed
            byte[] out = new byte[(int) Math.min(limit, headroom + Math.max(256L, 4L * length))];
            int n = headroom;
            while (!inflater.finished()) {
                if (n == out.length) {
                    if (out.length == limit) {
                        throw new Failure("inflates to more than " + maxOutput + " bytes");
                    }
                    out = Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
                }
                int k = inflater.inflate(out, n, out.length - n);
                if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new Failure("the deflate stream ends early");
                }
                n += k;
            }
            if (n - headroom > maxOutput) {
                throw new Failure("inflates to more than " + maxOutput + " bytes");
            }
            if (inflater.getRemaining() > 0) {
                throw new Failure(inflater.getRemaining() + " bytes after the deflate stream");
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } catch (DataFormatException e) {
            throw new Failure("not a zlib stream: " + e.getMessage());
        } finally {
            inflater.reset();
        }
    }
}
