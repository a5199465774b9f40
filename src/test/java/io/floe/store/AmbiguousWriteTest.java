package io.floe.store;

import static io.floe.store.ObjectStoreContractTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.store.ObjectStore.StoredObject;
import io.floe.store.ObjectStore.WriteResult;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AmbiguousWriteTest {

    static final byte[] OURS = bytes("ours");
    static final String OURS_ETAG = ETags.md5Hex(OURS);
    static final String BASE_ETAG = ETags.md5Hex(bytes("base"));

    static Optional<StoredObject> holding(String content) {
        return Optional.of(new StoredObject(bytes(content), "\"" + ETags.md5Hex(bytes(content)) + "\""));
    }

    @Test
    void createFindingOurBytesWasWritten() {
        assertThat(AmbiguousWrite.resolve(OURS, Optional.empty(), holding("ours")))
                .contains(new WriteResult.Written(OURS_ETAG));
    }

    @Test
    void createFindingOtherBytesLostTheRace() {
        assertThat(AmbiguousWrite.resolve(OURS, Optional.empty(), holding("theirs"))).contains(WriteResult.CONFLICT);
    }

    @Test
    void createFindingNothingIsUnknown() {
        assertThat(AmbiguousWrite.resolve(OURS, Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void replaceFindingOurBytesWasWritten() {
        assertThat(AmbiguousWrite.resolve(OURS, Optional.of(BASE_ETAG), holding("ours")))
                .contains(new WriteResult.Written(OURS_ETAG));
    }

    @Test
    void replaceFindingAnotherVersionLostTheRace() {
        assertThat(AmbiguousWrite.resolve(OURS, Optional.of(BASE_ETAG), holding("theirs"))).contains(WriteResult.CONFLICT);
    }

    @Test
    void replaceFindingTheKeyGoneLostTheRace() {
        assertThat(AmbiguousWrite.resolve(OURS, Optional.of(BASE_ETAG), Optional.empty())).contains(WriteResult.CONFLICT);
    }

    @Test
    void replaceFindingTheExpectedVersionStillThereIsUnknown() {
        assertThat(AmbiguousWrite.resolve(OURS, Optional.of("\"" + BASE_ETAG + "\""), holding("base"))).isEmpty();
    }
}
