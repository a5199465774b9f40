package io.floe.group;

import io.floe.model.ErrorCode;
import io.floe.model.FloeException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where groups live in the bucket: {@code groups/{escaped group id}/state}. Group ids are any
 * string (Kafka allows any); keys allow only {@code [A-Za-z0-9.-]} verbatim, so every other byte of
 * the UTF-8 id is written {@code _XX} (upper-case hex), {@code _} itself included. Stateless.
 */
final class GroupKeys {

    static final String PREFIX = "groups/";
    static final String STATE = "/state";
    static final int MAX_GROUP_ID_LENGTH = 255;

    private GroupKeys() {
    }

    static String state(String groupId) {
        return PREFIX + escape(check(groupId)) + STATE;
    }

    static String check(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            throw new FloeException(ErrorCode.INVALID_GROUP_ID, "The group id must not be empty.");
        }
        if (groupId.length() > MAX_GROUP_ID_LENGTH) {
            throw new FloeException(ErrorCode.INVALID_GROUP_ID,
                    "The group id is longer than " + MAX_GROUP_ID_LENGTH + " characters.");
        }
        return groupId;
    }

    static String escape(String id) {
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
        // "." and ".." are not valid key segments.
        String s = sb.toString();
        return s.equals(".") ? "_2E" : s.equals("..") ? "_2E_2E" : s;
    }

    /** The group id of a state key, or null if the key is not one. */
    static String groupOf(String key) {
        if (!key.startsWith(PREFIX) || !key.endsWith(STATE)) {
            return null;
        }
        String esc = key.substring(PREFIX.length(), key.length() - STATE.length());
        if (esc.contains("/")) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < esc.length(); i++) {
            char c = esc.charAt(i);
            if (c == '_' && i + 2 < esc.length()) {
                out.write(Integer.parseInt(esc.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
