package io.mphub.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.mphub.privacy.Audit;
import io.mphub.privacy.ConsentStore;
import io.mphub.privacy.Privacy;
import io.mphub.privacy.Pseudonyms;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Privacy parts for unit tests of the delivery loop, whose destinations need no consent. */
public final class Audits {

    private Audits() {
    }

    /** Judges events by their destination's contract; a destination that needs consent is not for these tests. */
    public static Privacy privacy() {
        return new Privacy(new ObjectMapper(), new ConsentStore(new ObjectMapper(), Duration.ofMillis(1)));
    }

    /** An audit that keeps its records in {@code into}. */
    public static Audit into(List<ProducerRecord<String, byte[]>> into) {
        return new Audit(into::add, () -> { }, new Pseudonyms(TestSecrets.alphanumeric(40)), new ObjectMapper(),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }

    /** An audit whose records go nowhere: for tests of something else. */
    public static Audit none() {
        return new Audit(r -> { }, () -> { }, new Pseudonyms(TestSecrets.alphanumeric(40)), new ObjectMapper(),
                Clock.systemUTC(), new SimpleMeterRegistry());
    }
}
