package io.floe.group;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Subscriptions by regular expression of KIP-848 members ({@code consumer.subscribe(Pattern)} with
 * {@code group.protocol=consumer}): RE2/J expressions matched against whole topic names, as Kafka's
 * group coordinator matches them. RE2/J runs in linear time, so a client's expression cannot stall an
 * instance. Only the consumer-protocol heartbeat uses this class (the Lambda package leaves RE2/J out).
 * Stateless.
 */
final class TopicRegex {

    private TopicRegex() {
    }

    /** The expression if it compiles; INVALID_REGULAR_EXPRESSION with RE2/J's reason otherwise. */
    static String check(String regex) {
        compile(regex);
        return regex;
    }

    /** The topics whose whole name matches {@code regex}, sorted. */
    static Set<String> matching(String regex, Collection<String> topics) {
        Pattern p = compile(regex);
        Set<String> out = new TreeSet<>();
        for (String t : topics) {
            if (p.matches(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new FloeException(ErrorCode.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex '" + regex
                    + "' is not a valid regular expression: " + e.getMessage());
        }
    }
}
