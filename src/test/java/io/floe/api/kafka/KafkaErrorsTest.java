package io.floe.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.model.ErrorCode;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class KafkaErrorsTest {

    @Test
    void aBatchFailingItsCrcIsAnsweredCorruptMessageWhichClientsRetry() {
        assertThat(KafkaErrors.of(ErrorCode.CORRUPT_RECORD)).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(Errors.CORRUPT_MESSAGE.exception()).isInstanceOf(org.apache.kafka.common.errors.RetriableException.class);
    }

    @Test
    void producerSequenceAndEpochErrorsKeepKafkasCodes() {
        assertThat(KafkaErrors.of(ErrorCode.OUT_OF_ORDER_SEQUENCE)).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(KafkaErrors.of(ErrorCode.DUPLICATE_SEQUENCE)).isEqualTo(Errors.DUPLICATE_SEQUENCE_NUMBER);
        assertThat(KafkaErrors.of(ErrorCode.INVALID_PRODUCER_EPOCH)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }
}
