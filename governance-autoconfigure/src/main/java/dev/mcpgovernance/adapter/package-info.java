/**
 * Data sources behind tools: implement {@link dev.mcpgovernance.adapter.DataAdapter}, and call it
 * through {@link dev.mcpgovernance.adapter.DataSourceManager}, which fails over between a group's
 * sources, puts each behind a breaker, retry and time limit, and caches answers as a
 * {@link dev.mcpgovernance.adapter.Cached} says.
 */
package dev.mcpgovernance.adapter;
