package io.floe.store;

import java.util.random.RandomGenerator;

/** The fault-injecting wrapper with no faults must be a faithful store. */
class FaultFreeFaultInjectingContractTest extends ObjectStoreContractTest {
    @Override
    protected ObjectStore newStore() {
        return new FaultInjectingObjectStore(new MemoryObjectStore(), RandomGenerator.of("L64X128MixRandom"),
                FaultInjectingObjectStore.Faults.NONE, FaultInjectingObjectStore.Sleeper.NONE);
    }
}
