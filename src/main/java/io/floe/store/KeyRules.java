package io.floe.store;

/** The rules every object key and list prefix obeys, checked by every store before it acts. Stateless. */
final class KeyRules {

    static final int MAX_KEY_LENGTH = 900;

    private KeyRules() {
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
}
