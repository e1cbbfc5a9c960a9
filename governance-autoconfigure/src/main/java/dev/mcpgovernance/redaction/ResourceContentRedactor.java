package dev.mcpgovernance.redaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.EmbeddedResource;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.PromptMessage;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;

/**
 * Redacts what a resource read or a prompt get returns before it leaves the server: the text of
 * every text resource content and of every text or embedded text message (as JSON when it is
 * JSON, otherwise with the value patterns). Blobs, images and audio pass untouched, as in tool
 * results. A result with nothing sensitive in it is returned as it is, the very same instance.
 */
public class ResourceContentRedactor {

	private final Redactor redactor;

	private final Map<List<String>, Redactor> perFeatureRedactors = new ConcurrentHashMap<>();

	public ResourceContentRedactor(Redactor redactor) {
		this.redactor = redactor;
	}

	/**
	 * @param keys key globs that are sensitive for this resource only, on top of the redactor's
	 * @return the result itself when nothing in it is sensitive, otherwise a redacted copy
	 */
	public ReadResourceResult redact(ReadResourceResult result, List<String> keys) {
		if (result == null || result.contents() == null) {
			return result;
		}
		Redactor effective = effective(keys);
		List<ResourceContents> contents = new ArrayList<>(result.contents().size());
		boolean changed = false;
		for (ResourceContents content : result.contents()) {
			ResourceContents copy = redactOne(content, effective);
			changed |= copy != content;
			contents.add(copy);
		}
		return changed ? new ReadResourceResult(contents, result.meta()) : result;
	}

	/**
	 * @param keys key globs that are sensitive for this prompt only, on top of the redactor's
	 * @return the result itself when nothing in it is sensitive, otherwise a redacted copy
	 */
	public GetPromptResult redact(GetPromptResult result, List<String> keys) {
		if (result == null || result.messages() == null) {
			return result;
		}
		Redactor effective = effective(keys);
		List<PromptMessage> messages = new ArrayList<>(result.messages().size());
		boolean changed = false;
		for (PromptMessage message : result.messages()) {
			Content content = redactOne(message.content(), effective);
			PromptMessage copy = (content == message.content()) ? message : new PromptMessage(message.role(), content);
			changed |= copy != message;
			messages.add(copy);
		}
		return changed ? new GetPromptResult(result.description(), messages, result.meta()) : result;
	}

	private Redactor effective(List<String> keys) {
		return keys.isEmpty() ? this.redactor
				: this.perFeatureRedactors.computeIfAbsent(List.copyOf(keys), this.redactor::withAdditionalKeys);
	}

	private static ResourceContents redactOne(ResourceContents content, Redactor redactor) {
		if (content instanceof TextResourceContents text && text.text() != null) {
			String redacted = redactor.redactText(text.text());
			return (redacted == text.text()) ? text
					: new TextResourceContents(text.uri(), text.mimeType(), redacted, text.meta());
		}
		return content;
	}

	private static Content redactOne(Content content, Redactor redactor) {
		if (content instanceof TextContent text && text.text() != null) {
			String redacted = redactor.redactText(text.text());
			return (redacted == text.text()) ? text : new TextContent(text.annotations(), redacted, text.meta());
		}
		if (content instanceof EmbeddedResource embedded) {
			ResourceContents resource = redactOne(embedded.resource(), redactor);
			return (resource == embedded.resource()) ? embedded
					: new EmbeddedResource(embedded.annotations(), resource, embedded.meta());
		}
		return content;
	}

}
