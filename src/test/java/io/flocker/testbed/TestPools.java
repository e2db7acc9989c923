package io.flocker.testbed;

import java.util.List;

/** All the pools of a {@link WithTestPools} class, in order. */
public record TestPools(List<TestPool> pools) {
    public TestPool get(int i) {
        return pools.get(i);
    }
}
