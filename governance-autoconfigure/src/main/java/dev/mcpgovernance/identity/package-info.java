/**
 * Who is calling, whatever the credential: {@link dev.mcpgovernance.identity.CallerIdentity} (what a
 * handler sees), and the credential SPI {@link dev.mcpgovernance.identity.CredentialKind}: declare a bean
 * of it to add a kind of credential; the built-in kinds live in the sub-packages.
 */
package dev.mcpgovernance.identity;
