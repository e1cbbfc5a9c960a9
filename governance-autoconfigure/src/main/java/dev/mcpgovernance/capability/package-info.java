/**
 * Biscuit capability tokens: {@link dev.mcpgovernance.capability.CapabilityTokens} mints and
 * attenuates them in Java, {@link dev.mcpgovernance.capability.GenerateCapabilityKeys} prints a key
 * pair; verifying them on every call is wired by the auto-configuration.
 */
package dev.mcpgovernance.capability;
