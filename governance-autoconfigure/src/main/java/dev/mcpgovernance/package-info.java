/**
 * The starter's settings shared by every concern ({@link dev.mcpgovernance.GovernanceProperties},
 * {@link dev.mcpgovernance.Exposure}) and the extension points any concern implements: a
 * {@link dev.mcpgovernance.GovernanceReportContributor} for the governance report and a
 * {@link dev.mcpgovernance.GovernanceHealthMember} for the {@code mcp-governance} health group.
 */
package dev.mcpgovernance;
