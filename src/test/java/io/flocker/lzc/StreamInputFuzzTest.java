package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flocker.fuzz.Fuzz;
import io.flocker.lzc.errors.BadStream;
import io.flocker.lzc.errors.ResumeTokenInvalid;
import io.flocker.lzc.errors.ZfsException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * What a receiver or a stream hands us, fuzzed: resume tokens (their text,
 * and the packed nvlist inside them, which native code unpacks), begin
 * records of send streams, and dataset names. Each input is decoded or
 * refused with the library's own error; nothing else, and the JVM lives.
 */
class StreamInputFuzzTest {
    private static final String VALID = ForgedResumeTokens.token("pool/u.v@flocker-1", 0x1234_5678_9abcL, 0x42L,
        "largeblockok", "embedok", "compressok");

    private static String decoded(String token) {
        try {
            ResumeToken t = ResumeToken.decode(token);
            assertTrue(t.toName() != null && t.flags() != null);
            return "decoded";
        } catch (ResumeTokenInvalid refused) {
            assertTrue(refused.getMessage().contains("the receive resume token is not valid: "), refused.getMessage());
            return "refused";
        }
    }

    @Test
    void resumeTokensAsText() {
        Fuzz.run("ResumeToken.decode (text)", r -> r.nextInt(3) == 0 ? Fuzz.text(r, 40) : Fuzz.mutate(r, VALID),
            StreamInputFuzzTest::decoded);
    }

    @Test
    void resumeTokensWhosePackedNvlistIsGarbage() {
        byte[] packed = inflate(VALID);
        var outcomes = Fuzz.run("ResumeToken.decode (packed nvlist, native unpack)", r -> envelope(r.nextInt(8) == 0
            ? Fuzz.bytes(r, 400) : Fuzz.mutate(r, packed)), StreamInputFuzzTest::decoded);
        assertTrue(outcomes.getOrDefault("decoded", 0) > 0, "some inputs are decoded: " + outcomes);
    }

    private static byte[] inflate(String token) {
        String[] parts = token.split("-", 4);
        byte[] compressed = HexFormat.of().parseHex(parts[3]);
        byte[] out = new byte[Integer.parseInt(parts[2], 16)];
        Inflater inf = new Inflater();
        try {
            inf.setInput(compressed);
            inf.inflate(out);
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inf.end();
        }
        return out;
    }

    /** A well-formed token around {@code packed}: the length and zlib are right, the nvlist is whatever it is. */
    private static String envelope(byte[] packed) {
        Deflater d = new Deflater();
        d.setInput(packed);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return "1-0-" + Integer.toHexString(Math.max(1, packed.length)) + "-" + HexFormat.of().formatHex(out.toByteArray());
    }

    @Test
    void beginRecordsOfStreams() {
        var outcomes = Fuzz.run("StreamHeader.parse", r -> {
            byte[] b = Fuzz.bytes(r, StreamHeader.SIZE + 8);
            if (r.nextBoolean()) {
                b = java.util.Arrays.copyOf(b, StreamHeader.SIZE);
                ByteBuffer bb = ByteBuffer.wrap(b).order(r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
                bb.putInt(0, 0); // DRR_BEGIN
                bb.putLong(8, 0x2F5bacbacL); // the stream magic
            }
            return b;
        }, b -> {
            try {
                StreamHeader h = StreamHeader.parse(b);
                String name = h.toName();
                assertTrue(name.length() <= 256, name);
                h.snapshotName();
                h.toGuid();
                h.isIncremental();
                h.creationTime();
                return "parsed";
            } catch (BadStream refused) {
                return "refused";
            }
        });
        assertTrue(outcomes.getOrDefault("parsed", 0) > 0, "some inputs are parsed: " + outcomes);
    }

    @Test
    void datasetAndSnapshotNames() {
        Fuzz.run("ZfsNames.check*", r -> r.nextBoolean() ? Fuzz.text(r, 12) : Fuzz.mutate(r, "pool/u.v@flocker-1"), name -> {
            String outcome = "";
            for (Runnable check : new Runnable[] {() -> ZfsNames.checkFilesystem("op", name),
                    () -> ZfsNames.checkSnapshot("op", name)}) {
                try {
                    check.run();
                    outcome += "ok ";
                } catch (ZfsException refused) {
                    assertTrue(refused.getMessage() != null && !refused.getMessage().isEmpty());
                    outcome += "refused ";
                }
            }
            return outcome.strip();
        });
    }

    @Test
    void theValidTokenDecodes() {
        assertTrue(decoded(VALID).equals("decoded"));
        assertTrue(Map.of("decoded", 1).containsKey(decoded(envelope(inflate(VALID)))));
    }
}
