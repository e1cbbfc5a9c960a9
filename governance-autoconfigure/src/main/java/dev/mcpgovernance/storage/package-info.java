/**
 * The starter's own database tables, migrated by a private Flyway (its own locations and history
 * table) so that an application's Flyway is left alone; configured under {@code mcp.governance.storage.*}.
 */
package dev.mcpgovernance.storage;
