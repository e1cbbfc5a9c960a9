/**
 * What each caller sees of the server: {@code tools/list} (and resource and prompt lists) cut down
 * to what it may call, and in progressive mode ({@link dev.mcpgovernance.discovery.DiscoveryMode}) the
 * meta-tools; {@link dev.mcpgovernance.discovery.DynamicToolSource} lets tools added at run time be found by the meta-tools.
 */
package dev.mcpgovernance.discovery;
