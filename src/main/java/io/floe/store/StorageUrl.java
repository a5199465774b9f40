package io.floe.store;

import java.nio.file.Path;

/** The parsed form of {@code floe.storage.url}. */
sealed interface StorageUrl {

    String ACCEPTED = "file:./data, file:/absolute/path, s3://bucket, s3://bucket/key/prefix or memory:";

    record File(Path directory) implements StorageUrl {
    }

    /** {@code prefix} is empty or ends with {@code /}. */
    record S3(String bucket, String prefix) implements StorageUrl {
    }

    record Memory() implements StorageUrl {
    }

    static StorageUrl parse(String url) {
        String u = url == null ? "" : url.strip();
        if (u.equals("memory:")) {
            return new Memory();
        }
        if (u.startsWith("file:")) {
            String path = u.substring("file:".length());
            if (path.startsWith("//")) {        // file:///abs/path
                path = path.substring(2);
            }
            if (!path.isEmpty()) {
                return new File(Path.of(path));
            }
        }
        if (u.startsWith("s3://")) {
            String rest = u.substring("s3://".length());
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") && (prefix.isEmpty() || validPrefix(prefix))) {
                return new S3(bucket, prefix.isEmpty() ? "" : prefix + "/");
            }
        }
        throw new IllegalArgumentException(StoreSettings.URL_SETTING + ": invalid value '" + url
                + "'; accepted forms: " + ACCEPTED);
    }

    private static boolean validPrefix(String prefix) {
        try {
            KeyRules.check(prefix);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
