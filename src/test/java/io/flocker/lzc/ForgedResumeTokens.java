package io.flocker.lzc;

import static io.flocker.lzc.raw.LibZfsCoreNative.fnvlist_size;
import static io.flocker.lzc.raw.LibZfsCoreNative.nvlist_pack;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Resume tokens as a hostile receiver would write them: the format ZFS
 * uses (version 1, a zlib-compressed packed nvlist in hex), with any
 * contents. The checksum field is not checked by the sender, so any is put.
 */
public final class ForgedResumeTokens {
    private ForgedResumeTokens() {}

    /** A token for {@code toName} with {@code toGuid}, from {@code fromGuid} (0: a full stream), with these stream flags. */
    public static String token(String toName, long toGuid, long fromGuid, String... flags) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fromguid", fromGuid);
        m.put("object", 0L);
        m.put("offset", 0L);
        m.put("bytes", 0L);
        m.put("toguid", toGuid);
        m.put("toname", toName);
        for (String f : flags) m.put(f, Nvlist.FLAG);
        return encode(m);
    }

    static String encode(Map<String, Object> contents) {
        byte[] packed;
        try (Nvlist nvl = Nvlist.of(contents)) {
            long n = fnvlist_size(nvl.handle());
            try (BytePointer buf = new BytePointer(n); PointerPointer<BytePointer> at = new PointerPointer<>(1);
                 SizeTPointer len = new SizeTPointer(1)) {
                at.put(0, buf);
                len.put(n);
                int err = nvlist_pack(nvl.handle(), at, len, 0, 0);
                if (err != 0) throw new IllegalStateException("nvlist_pack: " + err);
                packed = new byte[(int) len.get()];
                buf.get(packed);
            }
        }
        Deflater d = new Deflater();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try {
            d.setInput(packed);
            d.finish();
            byte[] chunk = new byte[4096];
            while (!d.finished()) z.write(chunk, 0, d.deflate(chunk));
        } finally {
            d.end();
        }
        return "1-0-" + Integer.toHexString(packed.length) + "-" + HexFormat.of().formatHex(z.toByteArray());
    }
}
