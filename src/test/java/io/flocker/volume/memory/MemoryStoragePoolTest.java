package io.flocker.volume.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flocker.volume.StoragePool;
import io.flocker.volume.StoragePoolContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The contract on the in-memory pool. */
class MemoryStoragePoolTest extends StoragePoolContract {
    private final MemoryStoragePool pool = new MemoryStoragePool("flocker", Path.of("/flocker"));

    @Override
    protected StoragePool pool() {
        return pool;
    }

    @Test
    void mountpointsAreUnderTheRootAsOnZfs() {
        var fs = pool.create(id("x"), Path.of("/data"), false);
        assertEquals(Path.of("/flocker", owner + ".x"), fs.mountpoint());
    }
}
