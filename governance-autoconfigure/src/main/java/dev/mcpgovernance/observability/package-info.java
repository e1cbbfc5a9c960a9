/**
 * Metrics, tracing, health and info for governed calls: a tool call is a Micrometer observation
 * named and tagged by a {@link dev.mcpgovernance.observability.ToolCallObservationConvention} (declare
 * one to change them); the rest is wired by the auto-configuration.
 */
package dev.mcpgovernance.observability;
