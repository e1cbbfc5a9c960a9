package com.example.orders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This module is the README's quickstart, not a variant of it: its configuration and its tool class
 * are the README's snippets, and its pom adds the dependency the README names. Change one, change the
 * other. Paths are relative to this module's folder, where Maven runs the tests.
 */
class QuickstartReadmeTests {

	static final Path README = Path.of("..", "README.md");

	/** What the README's YAML has where a user pastes the hash that GenerateApiKey printed. */
	static final String HASH_PLACEHOLDER = "<64 hex characters printed by GenerateApiKey>";

	@Test
	void applicationYmlIsTheReadmesWithTheGeneratedHash() throws IOException {
		String yml = Files.readString(Path.of("src/main/resources/application.yml"));
		assertThat(yml).containsPattern("hash: [0-9a-f]{64}\n");
		assertThat(yml.replaceAll("hash: [0-9a-f]{64}\n", "hash: " + HASH_PLACEHOLDER + "\n"))
			.isEqualTo(quickstartBlock("yaml"));
	}

	@Test
	void toolClassIsTheReadmesInAPackage() throws IOException {
		String source = Files.readString(Path.of("src/main/java/com/example/orders/OrderTools.java"));
		assertThat(source).isEqualTo("package com.example.orders;\n\n" + quickstartBlock("java"));
	}

	@Test
	void pomHasTheReadmesDependencies() throws IOException {
		String pom = Files.readString(Path.of("pom.xml"));
		String projectVersion = element(pom.substring(pom.indexOf("<parent>"), pom.indexOf("</parent>")), "version");
		Matcher dependencies = Pattern.compile("<dependency>.*?</dependency>", Pattern.DOTALL)
			.matcher(quickstartBlock("xml"));
		int count = 0;
		while (dependencies.find()) {
			String dependency = dependencies.group();
			// The README names the starter's version, which is the project's; the pom inherits it.
			if (dependency.contains("<version>")) {
				assertThat(element(dependency, "version")).isEqualTo(projectVersion);
				dependency = dependency.replaceAll("\\s*<version>[^<]*</version>", "");
			}
			assertThat(pom.replaceAll("\\s", "")).contains(dependency.replaceAll("\\s", ""));
			count++;
		}
		assertThat(count).isPositive();
	}

	/** The only code block of the given language in the README's quickstart section, without its list indent. */
	static String quickstartBlock(String language) throws IOException {
		List<String> lines = Files.readAllLines(README);
		int start = lines.indexOf("## Quickstart: govern an existing Spring AI MCP server");
		assertThat(start).as("the README's quickstart heading").isNotNegative();
		List<String> blocks = new ArrayList<>();
		List<String> block = null;
		for (String line : lines.subList(start + 1, lines.size())) {
			if (block == null && line.startsWith("## ")) {
				break;
			}
			String fence = line.strip();
			if (block == null && fence.equals("```" + language)) {
				block = new ArrayList<>();
			}
			else if (block != null && fence.equals("```")) {
				blocks.add(withoutCommonIndent(block));
				block = null;
			}
			else if (block != null) {
				block.add(line);
			}
		}
		assertThat(blocks).as("```%s blocks in the README's quickstart", language).hasSize(1);
		return blocks.get(0);
	}

	private static String withoutCommonIndent(List<String> lines) {
		int indent = lines.stream()
			.filter((line) -> !line.isBlank())
			.mapToInt((line) -> line.length() - line.stripLeading().length())
			.min()
			.orElse(0);
		StringBuilder text = new StringBuilder();
		lines.forEach((line) -> text.append(line.isBlank() ? "" : line.substring(indent)).append('\n'));
		return text.toString();
	}

	private static String element(String xml, String name) {
		Matcher matcher = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
		assertThat(matcher.find()).as("<%s> in %s", name, xml).isTrue();
		return matcher.group(1);
	}

}
