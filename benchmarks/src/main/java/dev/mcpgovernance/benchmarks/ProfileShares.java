package dev.mcpgovernance.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the request threads of a profiled server spent their CPU: {@code ProfileShares <run.jfr>}
 * reads the JFR CPU samples ({@code jdk.ExecutionSample}) of Tomcat's {@code http-nio-*} threads and
 * counts each sample for the owner of the frame nearest the leaf that has a known owner: JSON parsing
 * called by the starter's JSON-RPC filter counts for that filter, the same parsing called by the MCP
 * server counts for the MCP server. Starter frames are counted by package and class.
 */
public final class ProfileShares {

	/** Package prefixes and the owner they stand for, checked in order; {@code null} means "the starter". */
	private static final Map<String, String> OWNERS = new LinkedHashMap<>();

	static {
		OWNERS.put("dev.mcpgovernance.benchmarks.", "the tool itself");
		OWNERS.put("dev.mcpgovernance.", null);
		OWNERS.put("org.springframework.security.", "Spring Security");
		OWNERS.put("io.modelcontextprotocol.", "MCP Java SDK");
		OWNERS.put("org.springframework.ai.", "Spring AI");
		OWNERS.put("org.springframework.web.", "Spring Web");
		OWNERS.put("org.apache.catalina.", "Tomcat");
		OWNERS.put("org.apache.coyote.", "Tomcat");
		OWNERS.put("org.apache.tomcat.", "Tomcat");
		OWNERS.put("io.micrometer.", "Micrometer");
	}

	private ProfileShares() {
	}

	public static void main(String[] args) throws IOException {
		Map<String, Integer> byOwner = new TreeMap<>();
		int total = 0;
		for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
			if (!"jdk.ExecutionSample".equals(event.getEventType().getName())
					|| event.getThread("sampledThread") == null
					|| !String.valueOf(event.getThread("sampledThread").getJavaName()).startsWith("http-nio")
					|| event.getStackTrace() == null) {
				continue;
			}
			total++;
			byOwner.merge(owner(event.getStackTrace().getFrames()), 1, Integer::sum);
		}
		System.out.printf(Locale.ROOT, "%d CPU samples of request threads%n", total);
		int all = total;
		byOwner.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.forEach((entry) -> System.out.printf(Locale.ROOT, "%6d %5.1f %%  %s%n", entry.getValue(),
					100.0 * entry.getValue() / all, entry.getKey()));
	}

	private static String owner(List<RecordedFrame> frames) {
		for (RecordedFrame frame : frames) {
			String className = frame.getMethod().getType().getName();
			for (Map.Entry<String, String> owner : OWNERS.entrySet()) {
				if (className.startsWith(owner.getKey())) {
					return (owner.getValue() != null) ? owner.getValue() : starterPart(className);
				}
			}
		}
		return "other (JDK, Jackson, Reactor, ... with no known caller on the stack)";
	}

	/** {@code dev.mcpgovernance.audit.ArgumentShape$Inner} becomes {@code starter: audit.ArgumentShape}. */
	private static String starterPart(String className) {
		String name = className.substring("dev.mcpgovernance.".length());
		int inner = name.indexOf('$');
		return "starter: " + ((inner >= 0) ? name.substring(0, inner) : name);
	}

}
