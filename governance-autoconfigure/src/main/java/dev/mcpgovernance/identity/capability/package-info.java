/**
 * The capability-token credential kind: how a token is presented (header or {@code _meta}) and the
 * verifier it asks, which the {@code dev.mcpgovernance.capability} package provides.
 */
package dev.mcpgovernance.identity.capability;
