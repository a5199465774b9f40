import io.floe.store.ObjectStore;
import io.floe.store.ObjectStores;
import io.floe.store.StoreSettings;
import java.util.List;

/** Deletes every object of a benchmark bucket on radosgw (its memory store is small); prints how many. */
public class EmptyBucket {
    public static void main(String[] args) {
        try (ObjectStore store = ObjectStores.open(StoreSettings.of("s3://" + args[1]).withS3Endpoint(args[0], "floe", "floe-secret"))) {
            long n = 0;
            List<ObjectStore.ObjectInfo> page;
            while (!(page = store.list("", null, 1000)).isEmpty()) {
                page.parallelStream().forEach(o -> store.delete(o.key()));
                n += page.size();
            }
            System.out.println("deleted " + n + " objects from " + args[1]);
        }
    }
}
