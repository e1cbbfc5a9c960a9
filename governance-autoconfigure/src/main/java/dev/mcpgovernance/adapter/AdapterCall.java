package dev.mcpgovernance.adapter;

/**
 * What a tool asks of one source, e.g. {@code source -> source.find(id)}; the manager runs it on
 * each source in turn until one answers.
 *
 * @param <A> the type of the group's adapters
 * @param <T> the answer
 */
@FunctionalInterface
public interface AdapterCall<A extends DataAdapter, T> {

	T apply(A adapter) throws Exception;

}
