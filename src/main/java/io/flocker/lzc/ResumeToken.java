package io.flocker.lzc;

import static io.flocker.lzc.raw.LibZfsCoreNative.nvlist_unpack;

import io.flocker.lzc.errors.ResumeTokenInvalid;
import io.flocker.lzc.raw.NvList;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A decoded receive_resume_token: what a partially received stream got up
 * to, so the sender can continue with {@link LibZfsCore#sendResume}.
 *
 * <p>The token is "version-checksum-length-hex", the hex being a
 * zlib-compressed packed nvlist (fromguid, object, offset, toguid, toname,
 * bytes and the stream's flags).
 */
public record ResumeToken(String toName, long toGuid, long fromGuid, long object, long offset, long bytes,
                          Set<SendFlag> flags) {

    /** Decodes a token as the receive_resume_token property shows it. */
    public static ResumeToken decode(String token) {
        if (token == null || token.isEmpty()) throw invalid("the token is empty", token);
        String[] parts = token.split("-", 4);
        if (parts.length != 4 || !parts[0].equals("1")) throw invalid("unknown token format or version", token);
        int packedLength;
        byte[] compressed;
        try {
            packedLength = Integer.parseInt(parts[2], 16);
            String hex = parts[3];
            if (hex.length() % 2 != 0) throw invalid("odd number of hex digits", token);
            compressed = new byte[hex.length() / 2];
            for (int i = 0; i < compressed.length; i++) {
                compressed[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
        } catch (NumberFormatException e) {
            throw invalid("not hexadecimal", token);
        }
        if (packedLength <= 0 || packedLength > (16 << 20)) throw invalid("implausible length", token);
        byte[] packed = new byte[packedLength];
        Inflater inf = new Inflater();
        try {
            inf.setInput(compressed);
            int n = inf.inflate(packed);
            if (n != packedLength) throw invalid("length does not match", token);
            // Finished only once zlib's own checksum at the end has been read and matched.
            if (!inf.finished() && inf.inflate(new byte[1]) != 0) throw invalid("length does not match", token);
            if (!inf.finished() || inf.getRemaining() != 0) throw invalid("the compressed part is cut short or too long", token);
        } catch (DataFormatException e) {
            throw invalid("the compressed part is corrupt", token);
        } finally {
            inf.end();
        }
        NativeLibrary.load();
        NvList nvl = new NvList((org.bytedeco.javacpp.Pointer) null);
        int err = nvlist_unpack(packed, packed.length, nvl, 0);
        if (err != 0) throw invalid("the packed nvlist is corrupt", token);
        Map<String, Object> m = Nvlist.drain(nvl);
        if (!(m.get("toname") instanceof String toName)) throw invalid("no snapshot name in the token", token);
        Set<SendFlag> flags = EnumSet.noneOf(SendFlag.class);
        if (m.containsKey("largeblockok")) flags.add(SendFlag.LARGE_BLOCK);
        if (m.containsKey("embedok")) flags.add(SendFlag.EMBED_DATA);
        if (m.containsKey("compressok")) flags.add(SendFlag.COMPRESS);
        if (m.containsKey("rawok")) flags.add(SendFlag.RAW);
        if (m.containsKey("savedok")) flags.add(SendFlag.SAVED);
        return new ResumeToken(toName, num(m.get("toguid")), num(m.get("fromguid")), num(m.get("object")),
            num(m.get("offset")), num(m.get("bytes")), flags);
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }

    private static ResumeTokenInvalid invalid(String why, String token) {
        String shown = token == null ? "null" : token.length() > 40 ? token.substring(0, 40) + "..." : token;
        return new ResumeTokenInvalid("the receive resume token is not valid: " + why, 0, "send_resume", shown);
    }
}
