package io.floe.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** ETags as the stores compute and compare them (S3's form: hex MD5 of a single-part object, unquoted). Stateless. */
final class ETags {

    private ETags() {
    }

    /** The ETag S3 gives a single-part object: lower-case hex MD5 of the content. */
    static String md5Hex(byte[] content) {
        return hex(md5(content));
    }

    /** An MD5 digest as the ETag S3 gives an object written in one part. */
    static String hex(byte[] md5) {
        return HexFormat.of().formatHex(md5);
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
}
