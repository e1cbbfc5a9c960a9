/**
 * API keys ({@code sk_…}): generation, keyed hashes, the stores (declared, in memory, JDBC),
 * verification with its cache and revocation, and their credential kind.
 */
package dev.mcpgovernance.identity.apikey;
