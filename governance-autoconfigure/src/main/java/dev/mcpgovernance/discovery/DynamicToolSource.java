package dev.mcpgovernance.discovery;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;

/**
 * Tools added to the running server after start-up (the gateway's upstream tools), which the
 * {@link ToolCatalog} cannot find among the specification beans. The catalog rebuilds itself when
 * {@link #version()} changes, so progressive discovery sees tools added or removed at run time.
 */
public interface DynamicToolSource {

	/** Changes whenever the set of tools changes. */
	long version();

	/** The governed specifications of the tools, for a stateful server. */
	List<McpServerFeatures.SyncToolSpecification> statefulSpecifications();

	/** The governed specifications of the tools, for a stateless server. */
	List<McpStatelessServerFeatures.SyncToolSpecification> statelessSpecifications();

	/** Reads where the tools come from again; a short summary for the caller, without internals. */
	Map<String, Object> reload();

	/**
	 * A paragraph for the server's instructions (the {@code initialize} answer) saying where these
	 * tools come from; {@code null} for none. Asked on every {@code initialize}, so it must not block.
	 */
	default String instructions() {
		return null;
	}

}
