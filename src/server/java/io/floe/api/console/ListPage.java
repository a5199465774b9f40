package io.floe.api.console;

import java.util.List;

/**
 * One page of a long, sorted list of names (topics, groups): the names from {@code from} on, at most
 * {@link #SIZE}, so that a page reads at most that many objects however many there are. A value.
 *
 * @param shown the names on this page
 * @param total how many names there are in all
 * @param next  the first name of the next page, or null on the last one
 * @param from  the first name asked for ("" for the start)
 */
public record ListPage(List<String> shown, int total, String next, String from) {

    static final int SIZE = 50;

    static ListPage of(List<String> sorted, String from) {
        String start = from == null ? "" : from.trim();
        int i = 0;
        while (i < sorted.size() && sorted.get(i).compareTo(start) < 0) {
            i++;
        }
        int end = Math.min(sorted.size(), i + SIZE);
        return new ListPage(sorted.subList(i, end), sorted.size(), end < sorted.size() ? sorted.get(end) : null, start);
    }
}
