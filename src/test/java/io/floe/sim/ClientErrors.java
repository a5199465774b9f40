package io.floe.sim;

import io.floe.model.FloeException;
import io.floe.store.StoreException;
import java.util.concurrent.CompletionException;

/**
 * Which errors the group simulations let through as what clients see and handle: Floe's answers of
 * kinds not found, conflict, fenced and unavailable, and an unavailable store. Anything else — a
 * corrupt object, an internal error, an invalid request the simulation did not mean to send, a bug
 * surfacing as a runtime exception — fails the run. Stateless.
 */
final class ClientErrors {

    private ClientErrors() {
    }

    static boolean handled(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof StoreException s) {
            return s.kind() == StoreException.Kind.UNAVAILABLE;
        }
        if (t instanceof FloeException f) {
            return switch (f.code().kind()) {
                case NOT_FOUND, CONFLICT, FENCED, UNAVAILABLE -> true;
                default -> false;
            };
        }
        return false;
    }
}
