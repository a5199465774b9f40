package io.floe.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Key validation and ETag helpers shared by the stores. Stateless. */
final class Keys {

    static final int MAX_KEY_LENGTH = 900;

    private Keys() {
    }

    /**
     * Checks that {@code key} is a valid object key: 1..900 characters of {@code [A-Za-z0-9._/-]},
     * {@code /}-separated non-empty segments, none of them {@code .} or {@code ..}.
     *
     * @throws IllegalArgumentException naming the key and the rule it breaks
     */
    static String check(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("object key longer than " + MAX_KEY_LENGTH + " characters: " + key);
        }
        checkChars(key, "object key");
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "object key has an empty, '.' or '..' segment: '" + key + "'");
            }
        }
        return key;
    }

    /** Checks a list prefix: may be empty, may end with {@code /}, same characters as keys. */
    static String checkPrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        checkChars(prefix, "list prefix");
        return prefix;
    }

    private static void checkChars(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '/' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException(
                        what + " may only use [A-Za-z0-9._/-], found '" + c + "' in '" + s + "'");
            }
        }
    }

    /** The ETag S3 gives a single-part object: lower-case hex MD5 of the content. */
    static String md5Hex(byte[] content) {
        return HexFormat.of().formatHex(md5(content));
    }

    static byte[] md5(byte[] content) {
        try {
            return MessageDigest.getInstance("MD5").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }

    /** Removes the surrounding double quotes (and a weak {@code W/} marker) S3 puts around ETags. */
    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
