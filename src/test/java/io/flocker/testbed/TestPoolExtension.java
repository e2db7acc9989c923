package io.flocker.testbed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Makes the pools of a {@link WithTestPools} class before its first test and
 * destroys them after its last, through test-pools/pool.sh (the same helper
 * the demo uses). Pool names are unique per class and run.
 */
public final class TestPoolExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(TestPoolExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        pools(context);
    }

    /**
     * The class's pools, made on first use: in beforeAll, or earlier when a
     * PER_CLASS test instance asks for them in its constructor.
     */
    @SuppressWarnings("unchecked")
    private static List<TestPool> pools(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        List<TestPool> existing = (List<TestPool>) classContext.getStore(NS).get("pools");
        if (existing != null) return existing;
        TestBed.requireGuest();
        Class<?> cls = classContext.getRequiredTestClass();
        WithTestPools spec = cls.getAnnotation(WithTestPools.class);
        int count = spec == null ? 1 : spec.count();
        String size = spec == null ? "512M" : spec.size();
        String base = cls.getSimpleName().replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
        if (base.length() > 20) base = base.substring(0, 20);
        String tag = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
        List<TestPool> pools = new ArrayList<>();
        classContext.getStore(NS).put("pools", pools);
        for (int i = 0; i < count; i++) {
            String name = "t" + base + tag + (count > 1 ? "x" + i : "");
            Path mnt = Path.of("/testbed/mnt", name);
            TestBed.run(List.of(poolScript(), "create", name, size, mnt.toString()), null, java.time.Duration.ofMinutes(2))
                .requireSuccess();
            pools.add(new TestPool(name, mnt));
        }
        return pools;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) {
        List<TestPool> pools = (List<TestPool>) context.getStore(NS).get("pools");
        if (pools == null) return;
        List<String> failures = new ArrayList<>();
        for (TestPool p : pools) {
            TestBed.Result r = TestBed.run(List.of(poolScript(), "destroy", p.name()), null, java.time.Duration.ofMinutes(2));
            if (r.exitCode() != 0) failures.add(p.name() + ": " + r.stderr());
        }
        if (!failures.isEmpty()) throw new AssertionError("destroying test pools failed: " + failures);
    }

    private static String poolScript() {
        return TestBed.projectDir().resolve("test-pools/pool.sh").toString();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> t = p.getParameter().getType();
        return t == TestPool.class || t == TestPools.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        List<TestPool> pools = pools(e);
        return p.getParameter().getType() == TestPool.class ? pools.get(0) : new TestPools(List.copyOf(pools));
    }
}
