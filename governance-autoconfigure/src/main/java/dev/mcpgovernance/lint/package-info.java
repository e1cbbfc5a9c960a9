/**
 * The governance report ({@link dev.mcpgovernance.lint.GovernanceReport}): logged at start-up, and
 * in lint mode ({@code mcp.governance.lint.enabled=true}) printed for CI with an exit status that
 * fails the build on a warning.
 */
package dev.mcpgovernance.lint;
