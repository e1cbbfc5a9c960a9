package dev.mcpgovernance.testapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpgovernance.adapter.HttpItemSource;
import dev.mcpgovernance.tool.ToolCallEvent;
import dev.mcpgovernance.tool.ToolCallListener;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

/**
 * A governed MCP server whose tools read items through two HTTP sources: the primary first, the
 * replica as its fallback ({@code test.upstream.primary} and {@code test.upstream.replica} name them).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(CatalogTools.class)
public class AdapterTestApplication {

	@Bean
	@Order(1)
	HttpItemSource primaryItems(@Value("${test.upstream.primary}") String url) {
		return new HttpItemSource("primary", url);
	}

	@Bean
	@Order(2)
	HttpItemSource replicaItems(@Value("${test.upstream.replica}") String url) {
		return new HttpItemSource("replica", url);
	}

	@Bean
	RecordingListener recordingListener() {
		return new RecordingListener();
	}

	/** Keeps every finished tool call, as the audit trail would see it. */
	public static class RecordingListener implements ToolCallListener {

		private final List<ToolCallEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onToolCall(ToolCallEvent event) {
			this.events.add(event);
		}

		public ToolCallEvent last() {
			return this.events.get(this.events.size() - 1);
		}

	}

}
