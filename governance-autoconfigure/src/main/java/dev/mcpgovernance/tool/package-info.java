/**
 * Governed tools: {@link dev.mcpgovernance.tool.GovernedTool} on a tool method, the errors a handler
 * throws or sees ({@link dev.mcpgovernance.tool.ToolError}, {@link dev.mcpgovernance.tool.InvalidInput},
 * {@link dev.mcpgovernance.tool.SourceUnavailableException}), the call's context
 * ({@link dev.mcpgovernance.tool.GovernanceContext}), and the SPIs {@link dev.mcpgovernance.tool.ToolExecutionHook}
 * and {@link dev.mcpgovernance.tool.ToolCallListener}.
 */
package dev.mcpgovernance.tool;
