package dev.mcpgovernance;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration-reference.md is generated from the configuration metadata the build writes
 * (the property classes' Javadoc and defaults, plus additional-spring-configuration-metadata.json),
 * so it cannot drift: this test fails when the file differs from what the metadata says. Rewrite it
 * with {@code ./mvnw -pl governance-autoconfigure test -Dtest=ConfigurationReferenceTests -Dmcp.governance.docs.rewrite=true}.
 */
class ConfigurationReferenceTests {

	private static final Path REFERENCE = Path.of("").toAbsolutePath().getParent().resolve("docs/configuration-reference.md");

	@Test
	void referenceMatchesTheMetadata() throws IOException {
		String expected = render(metadata());
		if (Boolean.getBoolean("mcp.governance.docs.rewrite")) {
			Files.writeString(REFERENCE, expected, StandardCharsets.UTF_8);
		}
		assertThat(Files.exists(REFERENCE)).as("%s exists; run with -Dmcp.governance.docs.rewrite=true", REFERENCE).isTrue();
		assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
			.as("docs/configuration-reference.md is out of date; run this test with -Dmcp.governance.docs.rewrite=true")
			.isEqualTo(expected);
	}

	@Test
	void everyPropertyIsDescribed() throws IOException {
		assertThat(metadata().get("properties")).allSatisfy((property) -> assertThat(property.path("description").asString())
			.as("description of %s", property.get("name").asString())
			.isNotBlank());
	}

	private static JsonNode metadata() throws IOException {
		URL root = GovernanceProperties.class.getProtectionDomain().getCodeSource().getLocation();
		try (InputStream in = new URL(root, "META-INF/spring-configuration-metadata.json").openStream()) {
			return new ObjectMapper().readTree(in);
		}
	}

	static String render(JsonNode metadata) {
		Map<String, String> groups = new TreeMap<>();
		metadata.get("groups").forEach((group) -> groups.put(group.get("name").asString(), group.path("sourceType").asString()));
		Map<String, List<JsonNode>> byGroup = new LinkedHashMap<>();
		List<JsonNode> properties = new ArrayList<>();
		metadata.get("properties").forEach(properties::add);
		properties.sort(Comparator.comparing((property) -> property.get("name").asString()));
		for (JsonNode property : properties) {
			byGroup.computeIfAbsent(groupOf(property.get("name").asString(), groups), (name) -> new ArrayList<>())
				.add(property);
		}
		StringBuilder text = new StringBuilder("""
				# Configuration reference (generated)

				Every property of MCP Governance, generated from the configuration metadata the build writes
				(`META-INF/spring-configuration-metadata.json`: the property classes' Javadoc and defaults). Do not
				edit by hand: `ConfigurationReferenceTests` fails when this file is out of date and rewrites it with
				`-Dmcp.governance.docs.rewrite=true`. [configuration.md](configuration.md) explains the properties
				with examples.
				""");
		byGroup.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach((group) -> {
			text.append("\n## `").append(group.getKey()).append("`\n\n");
			text.append("| Property | Type | Default | Description |\n|---|---|---|---|\n");
			for (JsonNode property : group.getValue()) {
				text.append("| `")
					.append(property.get("name").asString())
					.append("` | ")
					.append(cell(type(property.path("type").asString())))
					.append(" | ")
					.append(defaultValue(property.get("defaultValue")))
					.append(" | ")
					.append(cell(deprecation(property) + property.path("description").asString()))
					.append(" |\n");
			}
		});
		return text.toString();
	}

	private static String groupOf(String property, Map<String, String> groups) {
		String best = property.substring(0, property.lastIndexOf('.'));
		for (String group : groups.keySet()) {
			if (property.startsWith(group + ".") && property.lastIndexOf('.') == group.length()) {
				return group;
			}
		}
		return best;
	}

	private static String deprecation(JsonNode property) {
		JsonNode deprecation = property.path("deprecation");
		if (deprecation.isMissingNode()) {
			return "";
		}
		String replacement = deprecation.path("replacement").asString("");
		return replacement.isEmpty() ? "Deprecated. " : "Deprecated: use " + replacement + ". ";
	}

	private static String type(String type) {
		return type.replaceAll("\\b(java\\.lang|java\\.util|java\\.time|java\\.net|org\\.springframework\\.util\\.unit)\\.", "")
			.replaceAll("\\bdev\\.mcpgovernance\\.([a-z]+\\.)*", "")
			.replace('$', '.');
	}

	private static String defaultValue(JsonNode value) {
		if (value == null || value.isNull()) {
			return "";
		}
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add("`" + item.asString() + "`"));
			return String.join(", ", items);
		}
		return "`" + value.asString() + "`";
	}

	private static String cell(String text) {
		return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
	}

}
