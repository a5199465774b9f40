package io.floe.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ListPageTest {

    private static final List<String> NAMES = IntStream.range(0, 120).mapToObj(i -> String.format("t-%03d", i)).toList();

    @Test
    void aPageHoldsAtMostFiftyNamesAndNamesTheNextPagesFirst() {
        ListPage first = ListPage.of(NAMES, null);
        assertThat(first.shown()).hasSize(ListPage.SIZE).startsWith("t-000").endsWith("t-049");
        assertThat(first.next()).isEqualTo("t-050");
        assertThat(first.total()).isEqualTo(120);
        ListPage last = ListPage.of(NAMES, "t-100");
        assertThat(last.shown()).hasSize(20).startsWith("t-100");
        assertThat(last.next()).isNull();
    }

    @Test
    void fromNeedNotBeANameThePageStartsAtTheFirstNameAfterIt() {
        assertThat(ListPage.of(NAMES, "t-0505").shown()).startsWith("t-051");
        assertThat(ListPage.of(NAMES, "u").shown()).isEmpty();
    }
}
