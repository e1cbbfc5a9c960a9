/**
 * OAuth 2.1 access tokens from trusted issuers: JWTs verified with the issuers' keys, opaque tokens
 * introspected (RFC 7662), the claim mapping they share, and their two credential kinds.
 */
package dev.mcpgovernance.identity.oauth;
