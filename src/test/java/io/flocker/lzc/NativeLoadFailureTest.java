package io.flocker.lzc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NativeLoadFailureTest {
    private static final String NEEDED = "libzfs_core.so.3 and libnvpair.so.3";

    @Test
    void theLibraryTheLoaderNamesIsTheOneBlamed() {
        String jni = "/root/.javacpp/cache/flocker.jar/io/flocker/lzc/linux-x86_64/libjniLibZfsCoreNative.so: ";
        String m = NativeLoadFailure.explain(NEEDED, jni + "libnvpair.so.3: cannot open shared object file: No such file");
        assertTrue(m.startsWith("libnvpair.so.3 cannot be loaded (needed: " + NEEDED + "): "), m);
        m = NativeLoadFailure.explain(NEEDED, jni + "libzfs.so.6: file too short");
        assertTrue(m.startsWith("libzfs.so.6 cannot be loaded"), m);
        m = NativeLoadFailure.explain(NEEDED, jni + "libcrypto.so.3: wrong ELF class: ELFCLASS32");
        assertTrue(m.startsWith("libcrypto.so.3 cannot be loaded"), m);
    }

    @Test
    void theLoadersMessageIsFoundInTheCauseJavacppKeeps() {
        UnsatisfiedLinkError outer = new UnsatisfiedLinkError("no jniLibZfsNative in java.library.path: /usr/lib");
        outer.initCause(new UnsatisfiedLinkError("/root/.javacpp/cache/x/libjniLibZfsNative.so: libzfs.so.6: file too short"));
        String m = NativeLoadFailure.explain("libzfs.so.6", NativeLoadFailure.messages(outer));
        assertTrue(m.startsWith("libzfs.so.6 cannot be loaded (needed: libzfs.so.6): no jniLibZfsNative"), m);
        assertTrue(m.endsWith("(after: /root/.javacpp/cache/x/libjniLibZfsNative.so: libzfs.so.6: file too short)"), m);
    }

    @Test
    void aMissingSymbolIsAnOlderReleaseAndNoNamedLibraryIsTheBindingsOwn() {
        String m = NativeLoadFailure.explain(NEEDED, "/x/libjniLibZfsCoreNative.so: undefined symbol: lzc_send_redacted");
        assertTrue(m.startsWith("the installed library lacks lzc_send_redacted (needed: " + NEEDED), m);
        m = NativeLoadFailure.explain(NEEDED, "no jniLibZfsCoreNative in java.library.path: /usr/lib");
        assertTrue(m.startsWith("the binding's own JNI library did not load"), m);
        m = NativeLoadFailure.explain(NEEDED, null);
        assertTrue(m.endsWith(": null"), m);
    }
}
