package dev.mcpgovernance.lint;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The lint on two sample servers: in this JVM (the report's findings and the status handed to
 * exit), and as CI runs it, in a JVM of its own whose exit status is checked.
 */
class GovernanceLintTests {

	private static final String PEPPER = "a-test-pepper-of-at-least-32-characters";

	private static final String[] COMMON = { "spring.ai.mcp.server.protocol=STREAMABLE",
			"mcp.governance.lint.enabled=true", "spring.main.banner-mode=off" };

	@Test
	void badServerHasEveryFinding() {
		GovernanceReport report = reportOf(LintSampleApplications.Bad.class);
		assertThat(report.findings()).extracting(Finding::kind, Finding::tool)
			.containsExactlyInAnyOrder(tuple(Finding.Kind.UNGOVERNED_TOOL, "echo"),
					tuple(Finding.Kind.DESTRUCTIVE_WITHOUT_WRITE_ACTION, "lookup_order"),
					tuple(Finding.Kind.DESTRUCTIVE_WITHOUT_WRITE_ACTION, "reprocess_order"),
					tuple(Finding.Kind.REMOTE_BIND_WITHOUT_AUTH, null));
		assertThat(report.authentication()).isEmpty();
	}

	@Test
	void lintOfTheBadServerPrintsTheTableAndFails() {
		Linted linted = lint(LintSampleApplications.Bad.class);
		assertThat(linted.status()).isEqualTo(GovernanceLint.WARNINGS);
		assertThat(linted.output()).contains("lookup_order", "orders:order:read", "(none)", "4 warnings",
				"[UNGOVERNED_TOOL] echo", "mcp-governance lint: failed");
		assertThat(linted.webApplicationType()).isEqualTo("none");
		assertThat(linted.stillRunning()).as("the lint closes the context").isFalse();
	}

	@Test
	void wellGovernedServerPasses() {
		GovernanceReport report = reportOf(LintSampleApplications.Good.class, "mcp.governance.api-keys.pepper=" + PEPPER);
		assertThat(report.findings()).isEmpty();
		assertThat(report.tools())
			.extracting(GovernanceReport.ToolEntry::name, GovernanceReport.ToolEntry::scope,
					GovernanceReport.ToolEntry::destructive, GovernanceReport.ToolEntry::rateLimit,
					GovernanceReport.ToolEntry::redaction)
			.containsExactly(tuple("cancel_order", "orders:order:cancel", true, "none", "default + customer_note"),
					tuple("lookup_order", "orders:order:read", false, "10/min per caller", "default"));
		assertThat(report.authentication()).containsExactly("api-key");
		assertThat(report.transport()).isEqualTo("streamable");
		assertThat(report.endpoints()).startsWith("/mcp");

		Linted linted = lint(LintSampleApplications.Good.class, "mcp.governance.api-keys.pepper=" + PEPPER);
		assertThat(linted.status()).isZero();
		assertThat(linted.output()).contains("no warnings", "mcp-governance lint: passed").doesNotContain(PEPPER);
	}

	@Test
	void progressiveDiscoveryMetaToolsAreNotReportedUngoverned() {
		GovernanceReport report = reportOf(LintSampleApplications.Good.class, "mcp.governance.api-keys.pepper=" + PEPPER,
				"mcp.governance.discovery.mode=progressive");
		assertThat(report.findings()).isEmpty();
		assertThat(report.tools()).extracting(GovernanceReport.ToolEntry::name, GovernanceReport.ToolEntry::scope)
			.contains(tuple("discover_tools", "(meta-tool: any verified caller)"),
					tuple("get_tool_schema", "(meta-tool: any verified caller)"),
					tuple("execute_tool", "(meta-tool: the called tool's scope)"));

		Linted linted = lint(LintSampleApplications.Good.class, "mcp.governance.api-keys.pepper=" + PEPPER,
				"mcp.governance.discovery.mode=progressive");
		assertThat(linted.status()).isZero();
		assertThat(linted.output()).contains("no warnings", "mcp-governance lint: passed");
	}

	@Test
	void configuredLimitsAndActionsChangeTheVerdict() {
		GovernanceReport report = reportOf(LintSampleApplications.Bad.class, "server.address=127.0.0.1",
				"mcp.governance.lint.write-actions=process", "mcp.governance.lint.read-actions=read,lookup",
				"mcp.governance.rate-limit.tools[orders:order:process]=5/h");
		// On loopback the missing authentication is no exposure, but every call would be refused.
		assertThat(report.findings()).extracting(Finding::kind, Finding::tool)
			.containsExactlyInAnyOrder(tuple(Finding.Kind.UNGOVERNED_TOOL, "echo"),
					tuple(Finding.Kind.DESTRUCTIVE_WITHOUT_WRITE_ACTION, "lookup_order"),
					tuple(Finding.Kind.NO_AUTHENTICATION, null));
		assertThat(report.tools()).filteredOn((tool) -> tool.name().equals("reprocess_order"))
			.extracting(GovernanceReport.ToolEntry::rateLimit)
			.containsExactly("5/h per caller");
	}

	@Test
	void eachConcernReportsItsOwnStoreAndToolCells() {
		GovernanceReport on = reportOf(LintSampleApplications.Good.class, "mcp.governance.api-keys.pepper=" + PEPPER);
		assertThat(on.stores()).containsEntry("rate-limit", "memory").containsEntry("audit", "jdbc")
			.containsEntry("api-keys", "jdbc");
		GovernanceReport off = reportOf(LintSampleApplications.Good.class, "mcp.governance.api-keys.pepper=" + PEPPER,
				"mcp.governance.rate-limit.enabled=false", "mcp.governance.audit.enabled=false",
				"mcp.governance.redaction.enabled=false", "mcp.governance.api-keys.enabled=false");
		// A concern that is switched off has no contributor, and the report says it is off.
		assertThat(off.stores()).containsEntry("rate-limit", "off").containsEntry("audit", "off")
			.containsEntry("api-keys", "off");
		assertThat(off.tools()).extracting(GovernanceReport.ToolEntry::rateLimit, GovernanceReport.ToolEntry::redaction)
			.containsOnly(tuple("none", "off"));
		assertThat(off.render()).contains("audit=off", "rate-limit=off");
	}

	@Test
	void ciSeesTheExitStatus(@TempDir Path dir) throws Exception {
		Process bad = launch(LintSampleApplications.Bad.class, dir.resolve("bad.txt"));
		Process good = launch(LintSampleApplications.Good.class, dir.resolve("good.txt"),
				"--mcp.governance.api-keys.pepper=" + PEPPER);
		assertThat(bad.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(good.waitFor(120, TimeUnit.SECONDS)).isTrue();
		assertThat(bad.exitValue()).as(Files.readString(dir.resolve("bad.txt"))).isEqualTo(1);
		assertThat(good.exitValue()).as(Files.readString(dir.resolve("good.txt"))).isZero();
		assertThat(Files.readString(dir.resolve("bad.txt"))).contains("[UNGOVERNED_TOOL] echo",
				"mcp-governance lint: failed");
	}

	private static Process launch(Class<?> application, Path output, String... extraArguments) throws Exception {
		List<String> command = new ArrayList<>(List.of(
				System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx256m",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), application.getName()));
		for (String property : COMMON) {
			command.add("--" + property);
		}
		command.addAll(List.of(extraArguments));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
	}

	private static GovernanceReport reportOf(Class<?> application, String... properties) {
		// A map, not "key=value" strings, which the builder would split at the first ':' of a scope.
		Map<String, Object> all = new LinkedHashMap<>(Map.of("spring.ai.mcp.server.protocol", "STREAMABLE",
				"spring.main.banner-mode", "off"));
		for (String property : properties) {
			all.put(property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1));
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.properties(all)
			.run()) {
			return context.getBean(GovernanceReporter.class).report();
		}
	}

	/** Runs the lint mode with the exit captured instead of ending this JVM. */
	private static synchronized Linted lint(Class<?> application, String... properties) {
		CapturingLint.OUTPUT.reset();
		CapturingLint.STATUS.set(-1);
		List<String> all = new ArrayList<>(List.of(COMMON));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application, CapturingLint.class)
			.properties(all.toArray(String[]::new))
			.run();
		return new Linted(CapturingLint.STATUS.get(), CapturingLint.OUTPUT.toString(StandardCharsets.UTF_8),
				context.getEnvironment().getProperty("spring.main.web-application-type"), context.isActive());
	}

	private record Linted(int status, String output, String webApplicationType, boolean stillRunning) {
	}

	@Configuration(proxyBeanMethods = false)
	static class CapturingLint {

		static final ByteArrayOutputStream OUTPUT = new ByteArrayOutputStream();

		static final AtomicInteger STATUS = new AtomicInteger();

		@Bean
		GovernanceLint governanceLint(GovernanceReporter reporter) {
			return new GovernanceLint(reporter, new PrintStream(OUTPUT, true, StandardCharsets.UTF_8), STATUS::set);
		}

	}

}
