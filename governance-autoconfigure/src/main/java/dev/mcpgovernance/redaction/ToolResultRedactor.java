package dev.mcpgovernance.redaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

/**
 * Redacts what a tool returns before it leaves the server: every text content (as JSON when it is
 * JSON), the text of embedded text resources, and the structured content. A result with nothing
 * sensitive in it is returned as it is, the very same instance, so clean results stay byte-identical.
 * Images, audio and resource links are passed on untouched.
 */
public class ToolResultRedactor {

	private final Redactor redactor;

	private final ObjectMapper objectMapper;

	private final Map<List<String>, Redactor> perToolRedactors = new ConcurrentHashMap<>();

	public ToolResultRedactor(Redactor redactor) {
		this.redactor = redactor;
		this.objectMapper = redactor.objectMapper();
	}

	/**
	 * @param result a tool's result
	 * @param toolKeys key globs that are sensitive for this tool only, on top of the redactor's
	 * @return the result itself when nothing in it is sensitive, otherwise a redacted copy
	 */
	public CallToolResult redact(CallToolResult result, List<String> toolKeys) {
		Redactor effective = toolKeys.isEmpty() ? this.redactor
				: this.perToolRedactors.computeIfAbsent(List.copyOf(toolKeys), this.redactor::withAdditionalKeys);
		List<Content> content = redactContent(result.content(), effective);
		Object structured = redactStructured(result.structuredContent(), effective);
		if (content == result.content() && structured == result.structuredContent()) {
			return result;
		}
		return new CallToolResult(content, result.isError(), structured, result.meta());
	}

	private List<Content> redactContent(List<Content> contents, Redactor redactor) {
		if (contents == null) {
			return null;
		}
		List<Content> redacted = new ArrayList<>(contents.size());
		boolean changed = false;
		for (Content content : contents) {
			Content copy = redactOne(content, redactor);
			changed |= copy != content;
			redacted.add(copy);
		}
		return changed ? redacted : contents;
	}

	private static Content redactOne(Content content, Redactor redactor) {
		if (content instanceof TextContent text && text.text() != null) {
			String redacted = redactor.redactText(text.text());
			return (redacted == text.text()) ? text : new TextContent(text.annotations(), redacted, text.meta());
		}
		if (content instanceof EmbeddedResource embedded && embedded.resource() instanceof TextResourceContents resource
				&& resource.text() != null) {
			String redacted = redactor.redactText(resource.text());
			if (redacted == resource.text()) {
				return embedded;
			}
			return new EmbeddedResource(embedded.annotations(),
					new TextResourceContents(resource.uri(), resource.mimeType(), redacted, resource.meta()),
					embedded.meta());
		}
		return content;
	}

	private Object redactStructured(Object structured, Redactor redactor) {
		if (structured == null) {
			return null;
		}
		Path path = new Path();
		JsonNode redacted = redactor.redact(structured, path);
		return path.changed() ? this.objectMapper.convertValue(redacted, Object.class) : structured;
	}

}
