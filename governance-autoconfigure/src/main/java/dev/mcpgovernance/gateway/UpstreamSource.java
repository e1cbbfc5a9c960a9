package dev.mcpgovernance.gateway;

import java.util.List;

/**
 * Upstreams defined outside configuration, which the {@link McpGateway} reads at every refresh and
 * brings its own in line with: those that appeared are added, those that vanished or changed are
 * removed (and added again as they are now).
 */
@FunctionalInterface
public interface UpstreamSource {

	/** No upstreams besides the configured ones. */
	UpstreamSource NONE = List::of;

	/**
	 * The upstreams as they are now.
	 * @throws RuntimeException when they cannot be read; the gateway then keeps those it has
	 */
	List<UpstreamDefinition> load();

}
