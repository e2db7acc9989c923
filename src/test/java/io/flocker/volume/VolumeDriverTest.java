package io.flocker.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.flocker.volume.docker.FakeDataContainers;
import io.flocker.volume.memory.MemoryStoragePool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Docker's driver semantics on the in-memory pool: users, mounts, what may be removed. */
class VolumeDriverTest {
    private final UUID node = UUID.randomUUID();
    private final MemoryStoragePool memory = new MemoryStoragePool("flocker", Path.of("/flocker"));
    // A delegating mock, not a spy: a spy of the pool's synchronized methods would hold the
    // pool's lock inside a stubbed call, and so keep out the very races the tests look for.
    private final StoragePool pool = mock(StoragePool.class, delegatesTo(memory));
    private final FakeDataContainers containers = new FakeDataContainers();
    private final VolumeService service = new VolumeService(node, pool, containers);
    private final VolumeDriver driver = new VolumeDriver(service);

    private static VolumeName n(String name) {
        return VolumeName.of(name);
    }

    private VolumeId id(String name) {
        return new VolumeId(node, n(name));
    }

    @Test
    void createMakesAVolumeOfThisNodeWithPropertiesAndNoDataContainer() {
        VolumeProperties p = VolumeProperties.of(Map.of("quota", "1G", "compression", "lz4"));
        Volume v = driver.create(n("v1"), p);
        assertEquals(node, v.owner());
        assertTrue(v.owned());
        assertNull(v.mountPath(), "no data container, so no mount path");
        assertEquals(Path.of("/flocker", node + ".v1"), v.mountpoint());
        assertEquals(p, pool.properties(id("v1")));
        assertEquals(Map.of(), containers.all());
        assertEquals(List.of(v), service.list(), "a volume of this node like any other");
        VolumeExists e = assertThrows(VolumeExists.class, () -> driver.create(n("v1"), VolumeProperties.NONE));
        assertTrue(e.getMessage().contains("'v1'"), e.getMessage());
        assertEquals(p, pool.properties(id("v1")), "the second create changed nothing");
    }

    @Test
    void theVolumeStaysMountedAfterItsLastCallerLeaves() {
        driver.create(n("v"), VolumeProperties.NONE);
        Path where = driver.mount(n("v"), "c1");
        assertEquals(Path.of("/flocker", node + ".v"), where);
        assertTrue(memory.isMounted(id("v")));
        driver.mount(n("v"), "c2");
        assertEquals(1, driver.unmount(n("v"), "c1"));
        assertTrue(memory.isMounted(id("v")), "c2 still uses it");
        assertEquals(Set.of("c2"), pool.users(id("v")));
        assertEquals(0, driver.unmount(n("v"), "c2"));
        assertTrue(memory.isMounted(id("v")), "its path stays the dataset, never an empty directory on /");
        assertEquals(Set.of(), pool.users(id("v")));
        verify(pool, never()).unmount(any());
    }

    @Test
    void aVolumeFoundUnmountedIsMountedByTheNextCaller() {
        driver.create(n("v"), VolumeProperties.NONE);
        memory.unmount(id("v")); // as after a restart, or a command that stopped half-way
        assertEquals(Path.of("/flocker", node + ".v"), driver.mount(n("v"), "c1"));
        assertTrue(memory.isMounted(id("v")));
    }

    @Test
    void repeatedMountsAndUnmountsOfOneCallerCountOnce() {
        driver.create(n("v"), VolumeProperties.NONE);
        driver.mount(n("v"), "c1");
        driver.mount(n("v"), "c1");
        driver.mount(n("v"), "c2");
        assertEquals(2, pool.users(id("v")).size());
        driver.unmount(n("v"), "c1");
        driver.unmount(n("v"), "c1");
        assertTrue(memory.isMounted(id("v")));
        driver.unmount(n("v"), "unknown");
        assertEquals(Set.of("c2"), pool.users(id("v")));
        assertTrue(memory.isMounted(id("v")), "an unknown caller leaving changes nothing");
    }

    @Test
    void aFailedMountRecordsNoUser() {
        driver.create(n("v"), VolumeProperties.NONE);
        driver.mount(n("v"), "c1");
        driver.unmount(n("v"), "c1");
        doThrow(new StorageException("mount failed", null)).when(pool).mount(any());
        StorageException e = assertThrows(StorageException.class, () -> driver.mount(n("v"), "c2"));
        assertEquals("mount failed", e.getMessage());
        assertEquals(Set.of(), pool.users(id("v")));
    }

    @Test
    void aVolumeWithADataContainerStaysMountedAndIsNotRemovedThroughDocker() {
        service.create(n("web"), Path.of("/var/www"));
        assertEquals(Path.of("/flocker", node + ".web"), driver.mount(n("web"), "c1"));
        assertEquals(0, driver.unmount(n("web"), "c1"));
        assertTrue(memory.isMounted(id("web")), "its data container shows the mountpoint to --volumes-from");
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> driver.remove(n("web")));
        assertEquals("volume 'web' has a data container (it was made by flocker-volume create, for containers at "
            + "/var/www): remove it with flocker-volume destroy web", e.getMessage());
        assertTrue(service.get(n("web")).isPresent());
        assertEquals(1, containers.all().size());
    }

    @Test
    void removeIsRefusedWhileInUseAndThenRemovesIt() {
        driver.create(n("v"), VolumeProperties.NONE);
        driver.mount(n("v"), "0123456789abcdef0123");
        driver.mount(n("v"), "fedcba9876543210fedc");
        VolumeBusy e = assertThrows(VolumeBusy.class, () -> driver.remove(n("v")));
        assertEquals("volume 'v' is in use by 2 containers (mount IDs 0123456789ab, fedcba987654): stop them first",
            e.getMessage());
        assertTrue(service.get(n("v")).isPresent());
        driver.unmount(n("v"), "0123456789abcdef0123");
        assertThrows(VolumeBusy.class, () -> driver.remove(n("v")));
        driver.unmount(n("v"), "fedcba9876543210fedc");
        driver.remove(n("v"));
        assertTrue(service.get(n("v")).isEmpty());
        assertEquals(List.of(), driver.list());
        VolumeNotFound gone = assertThrows(VolumeNotFound.class, () -> driver.remove(n("v")));
        assertTrue(gone.getMessage().contains("'v'"), gone.getMessage());
    }

    @Test
    void anotherNodesVolumeIsNeitherShownNorTouched() {
        UUID other = UUID.randomUUID();
        pool.create(new VolumeId(other, n("theirs")), Path.of("/data"), true);
        driver.create(n("mine"), VolumeProperties.NONE);
        assertEquals(List.of("mine"), driver.list().stream().map(v -> v.name().value()).toList());
        for (Runnable call : List.<Runnable>of(() -> driver.remove(n("theirs")), () -> driver.mount(n("theirs"), "c"),
            () -> driver.unmount(n("theirs"), "c"), () -> driver.get(n("theirs")), () -> driver.path(n("theirs")))) {
            NotOwner e = assertThrows(NotOwner.class, call::run);
            assertTrue(e.getMessage().contains("belongs to node " + other), e.getMessage());
        }
        assertEquals(Set.of(), pool.users(new VolumeId(other, n("theirs"))));
        assertTrue(pool.get(new VolumeId(other, n("theirs"))).isPresent());
    }

    @Test
    void missingVolumesAreNotFoundNamingThem() {
        for (Runnable call : List.<Runnable>of(() -> driver.remove(n("nope")), () -> driver.mount(n("nope"), "c"),
            () -> driver.unmount(n("nope"), "c"), () -> driver.get(n("nope")), () -> driver.path(n("nope")))) {
            VolumeNotFound e = assertThrows(VolumeNotFound.class, call::run);
            assertTrue(e.getMessage().startsWith("volume 'nope' does not exist on this node"), e.getMessage());
        }
    }

    @Test
    void getShowsUsersAndProperties() {
        VolumeProperties p = VolumeProperties.of(Map.of("recordsize", "8K"));
        driver.create(n("v"), p);
        driver.mount(n("v"), "c1");
        VolumeDriver.Status s = driver.get(n("v"));
        assertEquals("v", s.volume().name().value());
        assertEquals(Set.of("c1"), s.users());
        assertEquals(p, s.properties());
        assertEquals(s.volume().mountpoint(), driver.path(n("v")));
    }

    @Test
    void aNewDriverOnTheSamePoolKnowsWhatTheOldOneDid() {
        driver.create(n("v"), VolumeProperties.NONE);
        driver.mount(n("v"), "c1");
        driver.mount(n("v"), "c2");
        VolumeDriver restarted = new VolumeDriver(new VolumeService(node, pool, new FakeDataContainers()));
        assertEquals(Set.of("c1", "c2"), restarted.get(n("v")).users());
        assertThrows(VolumeBusy.class, () -> restarted.remove(n("v")));
        assertEquals(1, restarted.unmount(n("v"), "c1"));
        assertEquals(0, restarted.unmount(n("v"), "c2"));
        restarted.remove(n("v"));
    }

    @Test
    void badCallerIdsAreRefusedNamingThemAndChangeNothing() {
        driver.create(n("v"), VolumeProperties.NONE);
        assertEquals("invalid mount ID '': it is empty (Docker sends one with every Mount and Unmount)",
            assertThrows(VolumeException.class, () -> driver.mount(n("v"), "")).getMessage());
        assertEquals("invalid mount ID null: it is empty (Docker sends one with every Mount and Unmount)",
            assertThrows(VolumeException.class, () -> driver.unmount(n("v"), null)).getMessage());
        assertEquals("invalid mount ID 'a\\nb': it has control characters",
            assertThrows(VolumeException.class, () -> driver.mount(n("v"), "a\nb")).getMessage());
        String huge = "x".repeat(VolumeDriver.MAX_USER_ID + 1);
        String message = assertThrows(VolumeException.class, () -> driver.mount(n("v"), huge)).getMessage();
        assertEquals("invalid mount ID '" + "x".repeat(80) + "...': 1025 characters, at most 1024", message);
        assertEquals(Set.of(), pool.users(id("v")));
    }

    /**
     * Many callers on few volumes at once: every caller finds its volume
     * mounted from its mount until its unmount, and at the end no one is
     * recorded and every volume is still mounted. Recording a user is made
     * slow here, as it is on a real pool, so that lost updates would show.
     */
    @Test
    void concurrentCallersLeaveTheCountsRight() throws Exception {
        int volumes = 10, callers = 50, rounds = 10;
        doAnswer(call -> {
            Thread.sleep(2);
            return memory.removeUser(call.getArgument(0), call.getArgument(1));
        }).when(pool).removeUser(any(), any());
        for (int v = 0; v < volumes; v++) driver.create(n("c" + v), VolumeProperties.NONE);
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int c = 0; c < callers; c++) {
                VolumeName name = n("c" + (c % volumes));
                String caller = "caller-" + c;
                done.add(threads.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        driver.mount(name, caller);
                        assertTrue(memory.isMounted(new VolumeId(node, name)), caller + " mounted " + name);
                        Thread.sleep(5);
                        assertTrue(memory.isMounted(new VolumeId(node, name)), caller + " still has " + name);
                        driver.unmount(name, caller);
                        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(4));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(2, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }
        for (int v = 0; v < volumes; v++) {
            assertEquals(Set.of(), pool.users(id("c" + v)));
            assertTrue(memory.isMounted(id("c" + v)));
        }
    }

    @Test
    void repairForgetsUsersOfAVolumeNoContainerHasAndKeepsTheRest() {
        driver.create(n("gone"), VolumeProperties.NONE);
        driver.create(n("kept"), VolumeProperties.NONE);
        driver.mount(n("gone"), "m1");
        driver.mount(n("gone"), "m2");
        driver.mount(n("kept"), "m3");
        containers.volumeInAContainer("gone", true);
        containers.volumeInAContainer("kept", true);
        assertEquals(List.of(), service.repair(), "every user's container is there: nothing forgotten");
        // The containers of "gone" were removed while the plugin was down: no unmount came.
        containers.volumeInAContainer("gone", false);
        List<String> done = service.repair();
        assertEquals(1, done.size(), done.toString());
        assertTrue(done.get(0).startsWith("volume 'gone' of node " + node + ": forgot its 2 volume plugin user(s)"),
            done.get(0));
        assertEquals(Set.of(), driver.get(n("gone")).users());
        assertEquals(Set.of("m3"), driver.get(n("kept")).users());
        driver.remove(n("gone")); // no longer blocked
        assertEquals(List.of(), service.repair(n("kept")));
        containers.volumeInAContainer("kept", false);
        assertEquals(1, service.repair(n("kept")).size(), "repair of one volume does it too");
        // Not part of a push's check: that never asks Docker.
        driver.mount(n("kept"), "m4");
        service.check(n("kept"));
        assertEquals(Set.of("m4"), driver.get(n("kept")).users());
    }
}
