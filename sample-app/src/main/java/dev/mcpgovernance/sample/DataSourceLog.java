package dev.mcpgovernance.sample;

import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * Logs which source answered each tool call (what the audit trail records), so that the failover
 * can be watched in the console. Never the arguments.
 */
@Component
public class DataSourceLog implements ToolCallListener {

	private static final Log logger = LogFactory.getLog(DataSourceLog.class);

	@Override
	public void onToolCall(ToolCallEvent event) {
		if (event.dataSource() != null) {
			logger.info("Tool '" + event.toolName() + "' answered by data source '" + event.dataSource() + "'"
					+ (event.cacheHit() ? " (from the cache)" : ""));
		}
	}

}
