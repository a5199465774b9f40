package io.floe.api.console;

import io.floe.store.CountingObjectStore;
import io.floe.store.Operation;

/**
 * The dollar cost of store requests at S3 Standard prices, as docs/OPERATIONS.md states them: PUT,
 * COPY, POST and LIST requests $0.005 per 1,000; GET requests (ranged or not) $0.0004 per 1,000;
 * DELETE free. Storage and transfer are not included. A value; pure.
 */
public record CostEstimate(long putRequests, long getRequests, long free, double dollars) {

    static final double PUT_CLASS_PER_1000 = 0.005;
    static final double GET_CLASS_PER_1000 = 0.0004;

    static boolean isPutClass(Operation op) {
        return op == Operation.PUT || op == Operation.CREATE_IF_ABSENT || op == Operation.REPLACE_IF_MATCH
                || op == Operation.LIST;
    }

    static boolean isGetClass(Operation op) {
        return op == Operation.GET || op == Operation.RANGE_GET;
    }

    static CostEstimate of(CountingObjectStore.Counts counts) {
        long put = 0;
        long get = 0;
        long free = 0;
        for (Operation op : Operation.values()) {
            long n = counts.requests(op);
            if (isPutClass(op)) {
                put += n;
            } else if (isGetClass(op)) {
                get += n;
            } else {
                free += n;
            }
        }
        return new CostEstimate(put, get, free, put * PUT_CLASS_PER_1000 / 1000 + get * GET_CLASS_PER_1000 / 1000);
    }
}
