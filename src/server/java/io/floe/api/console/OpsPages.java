package io.floe.api.console;

import io.floe.runtime.JanitorWiring;
import io.floe.runtime.StoreUsage;
import io.floe.store.CountingObjectStore;
import io.floe.store.Operation;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's pages about this instance: background work (the janitor's last scheduled runs) and
 * what the store has billed (requests by kind, bytes, the dollar estimate, per hour over time).
 * Both read in-memory counters only: viewing them costs no store request. Stateless.
 */
@Path("/ui")
@Produces(MediaType.TEXT_HTML)
public class OpsPages {

    public record OperationRow(String operation, long requests, String priceClass) {
    }

    private final JanitorWiring janitor;
    private final StoreUsage usage;
    private final Template janitorPage;
    private final Template costPage;

    OpsPages(JanitorWiring janitor, StoreUsage usage, @Location("console/janitor.html") Template janitorPage,
             @Location("console/cost.html") Template costPage) {
        this.janitor = janitor;
        this.usage = usage;
        this.janitorPage = janitorPage;
        this.costPage = costPage;
    }

    @GET
    @Path("janitor")
    public Response janitor() {
        return Pages.ok(janitorPage.data("page", "janitor").data("scheduled", janitor.scheduled())
                .data("interval", janitor.interval().toString()).data("runs", janitor.recentRuns()));
    }

    @GET
    @Path("cost")
    public Response cost() {
        List<StoreUsage.Sample> history = usage.history();
        StoreUsage.Sample now = history.get(history.size() - 1);
        CountingObjectStore.Counts c = now.counts();
        List<OperationRow> ops = new ArrayList<>();
        for (Operation op : Operation.values()) {
            ops.add(new OperationRow(op.name(), c.requests(op),
                    CostEstimate.isPutClass(op) ? "PUT class" : CostEstimate.isGetClass(op) ? "GET class" : "free"));
        }
        double hours = Math.max(1e-9, (now.timeMs() - usage.startedAtMs()) / 3_600_000.0);
        CostEstimate total = CostEstimate.of(c);
        return Pages.ok(costPage.data("page", "cost").data("ops", ops).data("total", total)
                .data("dollars", String.format("%.6f", total.dollars()))
                .data("dollarsPerHour", String.format("%.6f", total.dollars() / hours))
                .data("bytesWritten", c.bytesWritten()).data("bytesRead", c.bytesRead())
                .data("chart", rates(history)).data("bytesChart", byteRates(history)));
    }

    /** Requests per hour by price class between consecutive samples. */
    private static String rates(List<StoreUsage.Sample> h) {
        List<Long> x = new ArrayList<>();
        List<Double> put = new ArrayList<>();
        List<Double> get = new ArrayList<>();
        for (int i = 1; i < h.size(); i++) {
            double hours = Math.max(1e-9, (h.get(i).timeMs() - h.get(i - 1).timeMs()) / 3_600_000.0);
            CostEstimate d = CostEstimate.of(h.get(i).counts().minus(h.get(i - 1).counts()));
            x.add(h.get(i).timeMs());
            put.add(d.putRequests() / hours);
            get.add(d.getRequests() / hours);
        }
        return Charts.series(List.of("PUT-class requests/hour", "GET-class requests/hour"), x, List.of(put, get));
    }

    /** Bytes per hour written and read between consecutive samples. */
    private static String byteRates(List<StoreUsage.Sample> h) {
        List<Long> x = new ArrayList<>();
        List<Double> written = new ArrayList<>();
        List<Double> read = new ArrayList<>();
        for (int i = 1; i < h.size(); i++) {
            double hours = Math.max(1e-9, (h.get(i).timeMs() - h.get(i - 1).timeMs()) / 3_600_000.0);
            CountingObjectStore.Counts d = h.get(i).counts().minus(h.get(i - 1).counts());
            x.add(h.get(i).timeMs());
            written.add(d.bytesWritten() / hours);
            read.add(d.bytesRead() / hours);
        }
        return Charts.series(List.of("bytes written/hour", "bytes read/hour"), x, List.of(written, read));
    }
}
