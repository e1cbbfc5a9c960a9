package dev.mcpgovernance.lint;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Logs the governance report as one block once the application is ready: at INFO, or at WARN
 * when it has warnings, so that a misgoverned server shows up in the logs it writes anyway.
 */
class StartupReport implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(StartupReport.class);

	private final GovernanceReporter reporter;

	public StartupReport(GovernanceReporter reporter) {
		this.reporter = reporter;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		GovernanceReport report = this.reporter.report();
		if (report.findings().isEmpty()) {
			logger.info(report.render());
		}
		else {
			logger.warn(report.render());
		}
	}

}
