/**
 * Scopes and how they match: {@link dev.mcpgovernance.scope.Scope} (with wildcards) and
 * {@link dev.mcpgovernance.scope.ScopeSet}; no Spring type is involved.
 */
package dev.mcpgovernance.scope;
