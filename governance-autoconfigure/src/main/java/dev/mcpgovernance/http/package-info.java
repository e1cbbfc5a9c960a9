/**
 * What the governed HTTP endpoints answer with ({@link dev.mcpgovernance.http.JsonResponses}), the
 * checked JSON-RPC message of a request ({@link dev.mcpgovernance.http.JsonRpcMessages}) and the base
 * class of the governed chains' filters ({@link dev.mcpgovernance.http.GovernedRequestFilter}): shared
 * by the security chain's filters and the filters other concerns (sessions, the admin API) add to it.
 */
package dev.mcpgovernance.http;
