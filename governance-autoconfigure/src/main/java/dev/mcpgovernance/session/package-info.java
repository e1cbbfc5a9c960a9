/**
 * MCP sessions bound to the caller that opened them, and bounded: {@link dev.mcpgovernance.session.SessionRegistry}
 * and the {@link dev.mcpgovernance.session.SessionBindingFilter} the governance filter chain runs.
 */
package dev.mcpgovernance.session;
