package dev.mcpgovernance.adapter;

import java.util.List;

import dev.mcpgovernance.tool.SourceUnavailableException;

/**
 * The sources of one group, typed: what a tool keeps in a field and calls.
 *
 * <pre>
 * this.orders = manager.group("orders", OrderSource.class);
 * …
 * return this.orders.call(Cached.in("order", Order.class, id), (source) -&gt; source.find(id));
 * </pre>
 *
 * @param <A> the type of the group's adapters
 */
public final class DataSourceGroup<A extends DataAdapter> {

	private final DataSourceManager manager;

	private final String name;

	private final Class<A> type;

	DataSourceGroup(DataSourceManager manager, String name, Class<A> type) {
		this.manager = manager;
		this.name = name;
		this.type = type;
	}

	public String name() {
		return this.name;
	}

	/**
	 * Asks the sources in order until one answers. A failed source (after its retries) passes the
	 * call to the next; {@code InvalidInput} and {@code ToolErrorException} are the caller's answer
	 * and end the call as they are.
	 * @throws SourceUnavailableException when no source answered
	 */
	public <T> T call(AdapterCall<A, T> call) {
		return this.manager.call(this.name, this.type, null, call);
	}

	/**
	 * The same, answered from the response cache when it holds an answer for this key and a caller
	 * with the same rights; otherwise the answer is cached (unless it is {@code null}).
	 */
	public <T> T call(Cached<T> cached, AdapterCall<A, T> call) {
		return this.manager.call(this.name, this.type, cached, call);
	}

	/** The sources that calls go to now, in the order they are tried. */
	public List<A> availableAdapters() {
		return this.manager.availableAdapters(this.name).stream().map(this.type::cast).toList();
	}

}
