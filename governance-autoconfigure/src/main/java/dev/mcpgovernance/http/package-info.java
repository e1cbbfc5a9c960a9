/**
 * What the governed HTTP endpoints answer with ({@link dev.mcpgovernance.http.JsonResponses}) and the
 * checked JSON-RPC message of a request ({@link dev.mcpgovernance.http.JsonRpcMessages}): shared by the
 * security chain's filters and the filters other concerns (sessions, the admin API) add to it.
 */
package dev.mcpgovernance.http;
