package io.floe.txn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where transaction state lives in the bucket: {@code transactions/{escaped transactional id}}. Fold into
 * {@code io.floe.format.BucketLayout} (the one home of bucket keys) when it lands; the escaping is the
 * scheme of group keys: {@code [A-Za-z0-9.-]} verbatim, every other byte of the UTF-8 id {@code _XX}
 * (upper-case hex), {@code _} itself included. Stateless.
 */
final class TxnKeys {

    static final String PREFIX = "transactions/";
    /** Kafka's limit is the 32767 bytes of a protocol string; an S3 key allows 1024 bytes. */
    static final int MAX_ID_LENGTH = 255;

    private TxnKeys() {
    }

    /** Prefix of the groups' "offsets pending in a transaction" markers. */
    static final String GROUP_MARKERS = "transaction-offsets/";

    /**
     * {@code transaction-offsets/{escaped group}/{escaped transactional id}}: exists while the transaction
     * may hold offsets of the group (created before they are recorded, deleted after it completes).
     */
    static String groupMarker(String groupId, String transactionalId) {
        return groupMarkers(groupId) + escape(transactionalId);
    }

    static String groupMarkers(String groupId) {
        return GROUP_MARKERS + escape(groupId) + "/";
    }

    /** The transactional id of a group marker key under {@code prefix}. */
    static String idOfMarker(String prefix, String key) {
        return key.startsWith(prefix) ? idOf(PREFIX + key.substring(prefix.length())) : null;
    }

    static String state(String transactionalId) {
        return PREFIX + escape(transactionalId);
    }

    /** The transactional id of a state key, or null if the key is not one. */
    static String idOf(String key) {
        if (!key.startsWith(PREFIX) || key.length() == PREFIX.length() || key.indexOf('/', PREFIX.length()) >= 0) {
            return null;
        }
        String esc = key.substring(PREFIX.length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < esc.length(); i++) {
            char c = esc.charAt(i);
            if (c == '_') {
                if (i + 2 >= esc.length()) {
                    return null;
                }
                out.write(Integer.parseInt(esc.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String escape(String id) {
        StringBuilder sb = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
                sb.append(c);
            } else {
                sb.append('_').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        String s = sb.toString();
        return s.equals(".") ? "_2E" : s.equals("..") ? "_2E_2E" : s;
    }
}
