package io.floe.store;

class MemoryObjectStoreTest extends ObjectStoreContractTest {
    @Override
    protected ObjectStore newStore() {
        return new MemoryObjectStore();
    }
}
