package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flocker.lzc.errors.ResumeTokenInvalid;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Tokens in ZFS's own encoding (packed by libnvpair, compressed by zlib) read back field by field. */
class ResumeTokenTest {
    @Test
    void aTokenReadsBackAsItWasWritten() {
        String token = ForgedResumeTokens.token("tank/v@s2", 0x8000_0000_0000_0001L, 42L, "embedok", "compressok", "rawok");
        ResumeToken t = ResumeToken.decode(token);
        assertEquals("tank/v@s2", t.toName());
        assertEquals(0x8000_0000_0000_0001L, t.toGuid());
        assertEquals(42L, t.fromGuid());
        assertEquals(EnumSet.of(SendFlag.EMBED_DATA, SendFlag.COMPRESS, SendFlag.RAW), t.flags());
    }

    @Test
    void aTokenWithoutASnapshotNameOrCutShortIsInvalid() {
        ResumeTokenInvalid noName = assertThrows(ResumeTokenInvalid.class,
            () -> ResumeToken.decode(ForgedResumeTokens.encode(new java.util.LinkedHashMap<>(java.util.Map.of("toguid", 1L)))));
        assertEquals("the receive resume token is not valid: no snapshot name in the token", noName.reason());
        String whole = ForgedResumeTokens.token("tank/v@s", 1, 0);
        assertThrows(ResumeTokenInvalid.class, () -> ResumeToken.decode(whole.substring(0, whole.length() - 6)));
    }
}
