package dev.mcpgovernance.adapter;

/**
 * One source of data a tool reads through, instead of making raw I/O calls: a database, an HTTP
 * service, an OpenAPI operation. Sources that can stand in for each other share a {@link #group()};
 * the {@link DataSourceManager} tries them in order and fails over.
 *
 * <pre>
 * public interface OrderSource extends DataAdapter {
 *     default String group() { return "orders"; }
 *     Optional&lt;Order&gt; find(String id) throws IOException;
 * }
 * </pre>
 *
 * Declare each implementation as a bean; {@code @Order} (or {@code Ordered}) says which one is the
 * primary.
 */
public interface DataAdapter {

	/**
	 * The source's unique name: its Resilience4j instance name
	 * ({@code resilience4j.circuitbreaker.instances.<name>.*}, {@code retry}, {@code timelimiter}),
	 * the data source in the audit record and the {@code adapter} tag of the metrics.
	 */
	String name();

	/** The group of sources that can answer the same calls; a group of one (the name) by default. */
	default String group() {
		return name();
	}

	/**
	 * A cheap check that the source answers: {@code false} or an exception means it is down, and it
	 * is tried after the healthy ones. Runs on the manager's executor, never on a tool call's thread.
	 */
	default boolean isHealthy() throws Exception {
		return true;
	}

}
