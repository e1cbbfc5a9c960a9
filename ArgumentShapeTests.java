package dev.mcpgovernance.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArgumentShapeTests {

	@Test
	void keepsTypesLengthsAndCountsButNoValueAndNoKey() {
		Map<String, Object> arguments = new LinkedHashMap<>();
		arguments.put("customer_email", "jane@example.com");
		arguments.put("items", List.of(Map.of("sku_secret", "ABC-123"), 42));
		arguments.put("card", "4111 1111 1111 1111".getBytes());
		arguments.put("express", true);
		arguments.put("price", 12.5);
		arguments.put("note", null);
		String shape = ArgumentShape.of(arguments);
		assertThat(shape).isEqualTo("{\"type\":\"object\",\"fields\":6,\"children\":["
				+ "{\"type\":\"string\",\"length\":16},"
				+ "{\"type\":\"array\",\"items\":2,\"children\":[{\"type\":\"object\",\"fields\":1,\"children\":"
				+ "[{\"type\":\"string\",\"length\":7}]},{\"type\":\"integer\"}]},"
				+ "{\"type\":\"bytes\",\"length\":19},{\"type\":\"boolean\"},{\"type\":\"number\"},{\"type\":\"null\"}]}");
		assertThat(shape).doesNotContain("jane", "email", "sku", "ABC", "4111", "items", "12.5");
	}

	@Test
	void isBoundedInDepthWidthAndLengthAndSurvivesCycles() {
		Map<String, Object> deep = new LinkedHashMap<>();
		Map<String, Object> level = deep;
		for (int i = 0; i < 10; i++) {
			Map<String, Object> next = new LinkedHashMap<>();
			level.put("k" + i, next);
			level = next;
		}
		assertThat(ArgumentShape.of(deep)).doesNotContain("\"fields\":0");

		List<Object> wide = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			wide.add("x".repeat(i));
		}
		String wideShape = ArgumentShape.of(Map.of("list", wide));
		assertThat(wideShape).contains("\"items\":1000", "\"more\":true").hasSizeLessThan(ArgumentShape.MAX_LENGTH);

		Map<String, Object> cyclic = new LinkedHashMap<>();
		cyclic.put("self", cyclic);
		assertThat(ArgumentShape.of(cyclic)).contains("\"type\":\"cycle\"");
	}

}
