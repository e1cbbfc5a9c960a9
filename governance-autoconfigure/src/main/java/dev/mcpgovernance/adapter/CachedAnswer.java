package dev.mcpgovernance.adapter;

/**
 * A cached answer and the source that gave it, so that the audit record of a cache hit still names
 * the source.
 *
 * @param <T> the answer's type
 * @param source the adapter that answered
 * @param value the answer
 */
public record CachedAnswer<T>(String source, T value) {
}
