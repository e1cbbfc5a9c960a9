package dev.mcpgovernance.lint;

import java.io.PrintStream;
import java.util.function.IntConsumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The lint mode ({@code mcp.governance.lint.enabled=true}): once the context has started, and before
 * the application's own runners, prints the governance report and ends the process with status 1
 * when it has warnings, 0 otherwise.
 */
class GovernanceLint implements ApplicationListener<ApplicationStartedEvent> {

	/** The exit status when the report has warnings. */
	public static final int WARNINGS = 1;

	private final GovernanceReporter reporter;

	private final PrintStream out;

	private final IntConsumer exit;

	/** Prints to standard output and exits the JVM. */
	public GovernanceLint(GovernanceReporter reporter) {
		this(reporter, System.out, System::exit);
	}

	/**
	 * @param out where the report goes
	 * @param exit called with the status once the context is closed
	 */
	public GovernanceLint(GovernanceReporter reporter, PrintStream out, IntConsumer exit) {
		this.reporter = reporter;
		this.out = out;
		this.exit = exit;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		GovernanceReport report = this.reporter.report();
		this.out.println(report.render());
		int status = report.findings().isEmpty() ? 0 : WARNINGS;
		this.out.println("mcp-governance lint: " + (status == 0 ? "passed" : "failed"));
		this.out.flush();
		this.exit.accept(SpringApplication.exit(event.getApplicationContext(), () -> status));
	}

}
