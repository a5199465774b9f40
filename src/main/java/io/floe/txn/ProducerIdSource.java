package io.floe.txn;

/** Hands out producer ids unique across every instance on the bucket. Thread-safe. */
@FunctionalInterface
public interface ProducerIdSource {
    long next();
}
