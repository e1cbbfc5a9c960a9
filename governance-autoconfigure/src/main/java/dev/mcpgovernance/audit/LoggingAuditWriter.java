package dev.mcpgovernance.audit;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Writes each record as one JSON line at INFO to the logger {@value #LOGGER}, for a log pipeline to
 * collect; route that logger to a file or appender of its own. A record written back from the
 * journal after a crash may appear twice; the record id tells the copies apart.
 */
class LoggingAuditWriter implements AuditWriter {

	public static final String LOGGER = "mcp.governance.audit";

	private static final Log logger = LogFactory.getLog(LOGGER);

	@Override
	public void write(List<AuditRecord> records) {
		for (AuditRecord record : records) {
			logger.info(AuditJournal.toJson(record));
		}
	}

}
