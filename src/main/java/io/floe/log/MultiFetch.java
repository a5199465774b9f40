package io.floe.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The multi-partition long poll behind {@link LogEngine#fetch(FetchRequest)}.
 *
 * <p>First every partition is read at once without waiting (the engine's first look, which reads no
 * chain head when a wait follows). If that yields at least {@code minBytes}, or a partition failed,
 * or no wait is allowed, that is the answer. Otherwise every partition waits in the engine's long
 * poll (woken by local commits at once and by other instances' commits at the poll interval); the
 * first partition that gets data or fails completes the answer, the others as read at first; at
 * {@code maxWait} the answer is whatever is there. Last, the byte budget is applied in request order.
 *
 * <p>Thread-safe and stateless; nothing blocks the calling thread.
 */
final class MultiFetch {

    /** Slack after {@code maxWait} before answering with what is there (the engine's own waits end at maxWait). */
    private static final long SLACK_MS = 20;

    private final LogEngine engine;

    MultiFetch(LogEngine engine) {
        this.engine = engine;
    }

    CompletableFuture<FetchResponse> fetch(FetchRequest req) {
        List<FetchRequest.Partition> wanted = req.partitions();
        boolean mayWait = req.maxWait().toMillis() > 0;
        List<CompletableFuture<FetchResponse.Partition>> first = new ArrayList<>();
        for (FetchRequest.Partition p : wanted) {
            first.add(read(p, Duration.ZERO, mayWait, req.isolation()));
        }
        return CompletableFuture.allOf(first.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            List<FetchResponse.Partition> now = first.stream().map(CompletableFuture::join).toList();
            long bytes = now.stream().mapToLong(FetchResponse.Partition::sizeInBytes).sum();
            boolean failed = now.stream().anyMatch(FetchResponse.Partition::failed);
            if (bytes >= Math.max(1, req.minBytes()) || failed || !mayWait || wanted.isEmpty()) {
                return CompletableFuture.completedFuture(withinBudget(req, now));
            }
            return waitForData(req, now);
        });
    }

    private CompletableFuture<FetchResponse> waitForData(FetchRequest req, List<FetchResponse.Partition> now) {
        CompletableFuture<FetchResponse> out = new CompletableFuture<>();
        List<FetchResponse.Partition> current = new ArrayList<>(now);
        for (int i = 0; i < req.partitions().size(); i++) {
            int index = i;
            read(req.partitions().get(i), req.maxWait(), false, req.isolation()).thenAccept(p -> {
                synchronized (current) {
                    if (!out.isDone()) {
                        current.set(index, p);
                        if (p.sizeInBytes() > 0 || p.failed()) {
                            out.complete(withinBudget(req, current));
                        }
                    }
                }
            });
        }
        CompletableFuture.delayedExecutor(req.maxWait().toMillis() + SLACK_MS, TimeUnit.MILLISECONDS).execute(() -> {
            synchronized (current) {
                out.complete(withinBudget(req, current));
            }
        });
        return out;
    }

    /** {@code thenWaits}: a first look before a wait (see {@link LogEngine#fetchAvailable}). */
    private CompletableFuture<FetchResponse.Partition> read(FetchRequest.Partition p, Duration wait, boolean thenWaits,
                                                           IsolationLevel isolation) {
        int maxBytes = Math.max(1, p.maxBytes());
        CompletableFuture<FetchResult> result = thenWaits
                ? engine.fetch(p.topic(), p.partition(), p.offset(), maxBytes, Duration.ZERO, true, isolation)
                : engine.fetch(p.topic(), p.partition(), p.offset(), maxBytes, wait, false, isolation);
        return result.handle((r, failure) -> failure == null
                ? new FetchResponse.Partition(p, r, null)
                : new FetchResponse.Partition(p, null, unwrap(failure)));
    }

    /** Fills partitions in request order up to maxBytes; the first non-empty one always goes whole. */
    private static FetchResponse withinBudget(FetchRequest req, List<FetchResponse.Partition> parts) {
        long budget = req.maxBytes() <= 0 ? Long.MAX_VALUE : req.maxBytes();
        long used = 0;
        boolean any = false;
        List<FetchResponse.Partition> out = new ArrayList<>(parts.size());
        for (FetchResponse.Partition p : parts) {
            long size = p.sizeInBytes();
            if (size > 0 && any && used + size > budget) {
                p = new FetchResponse.Partition(p.request(), p.result().withoutBatches(), null);
            } else if (size > 0) {
                any = true;
                used += size;
            }
            out.add(p);
        }
        return new FetchResponse(out);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
