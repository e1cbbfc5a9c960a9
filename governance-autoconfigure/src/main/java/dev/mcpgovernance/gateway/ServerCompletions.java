package dev.mcpgovernance.gateway;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CompleteReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.util.ReflectionUtils;

/**
 * Adds completions to a running server and takes them away. The MCP Java SDK 2.x takes completions
 * only when the server is built (it can add tools, resources and prompts to a running server, not
 * completions), while the gateway learns its upstreams' prompts and templates at run time; so their
 * completions go into the server's own map of completions, which its {@code completion/complete}
 * handler reads at every request, adapted as the SDK adapts a synchronous completion it is built
 * with. When the SDK's fields are not where this expects them, nothing is added and a warning says
 * so: the SDK then answers such a completion with an empty list, as for a prompt without one.
 * Delete this class once the SDK can add a completion to a running server.
 */
final class ServerCompletions {

	private static final Log logger = LogFactory.getLog(ServerCompletions.class);

	// What this added, so that taking a completion away never takes one the application was built with.
	private final Map<CompleteReference, Object> added = new ConcurrentHashMap<>();

	void add(McpSyncServer server, McpServerFeatures.SyncCompletionSpecification completion) {
		try {
			boolean immediate = (boolean) read(server, "immediateExecution");
			McpServerFeatures.AsyncCompletionSpecification adapted = new McpServerFeatures.AsyncCompletionSpecification(
					completion.referenceKey(), (exchange, request) -> scheduled(Mono.fromCallable(
							() -> completion.completionHandler().apply(new McpSyncServerExchange(exchange), request)),
							immediate));
			put(server.getAsyncServer(), completion.referenceKey(), adapted);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			notAdded(completion.referenceKey(), ex);
		}
	}

	void add(McpStatelessSyncServer server, McpStatelessServerFeatures.SyncCompletionSpecification completion) {
		try {
			boolean immediate = (boolean) read(server, "immediateExecution");
			McpStatelessServerFeatures.AsyncCompletionSpecification adapted = new McpStatelessServerFeatures
				.AsyncCompletionSpecification(completion.referenceKey(), (context, request) -> scheduled(
						Mono.fromCallable(() -> completion.completionHandler().apply(context, request)), immediate));
			put(read(server, "asyncServer"), completion.referenceKey(), adapted);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			notAdded(completion.referenceKey(), ex);
		}
	}

	/** Takes away the completion this added for a prompt or template; nothing when it added none. */
	void remove(Object server, CompleteReference reference) {
		Object added = this.added.remove(reference);
		if (added == null) {
			return;
		}
		try {
			Object asyncServer = (server instanceof McpSyncServer sync) ? sync.getAsyncServer()
					: read(server, "asyncServer");
			completions(asyncServer).remove(reference, added);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Read when it was added; should that fail now, what stays is refused: its policy goes with its prompt.
		}
	}

	// A completion the application was built with is never replaced.
	private void put(Object asyncServer, CompleteReference reference, Object completion)
			throws ReflectiveOperationException {
		if (completions(asyncServer).putIfAbsent(reference, completion) != null) {
			logger.warn("The completion of upstream " + reference.type() + " '" + reference.identifier()
					+ "' is not added: this server has one for it already");
			return;
		}
		this.added.put(reference, completion);
	}

	// As the SDK runs a synchronous handler: on the caller's thread when the server executes immediately.
	private static <T> Mono<T> scheduled(Mono<T> handling, boolean immediate) {
		return immediate ? handling : handling.subscribeOn(Schedulers.boundedElastic());
	}

	private static void notAdded(CompleteReference reference, Exception ex) {
		logger.warn("The completion of upstream " + reference.type() + " '" + reference.identifier()
				+ "' could not be added to this server (" + ex.getClass().getName()
				+ "): it is answered with an empty list");
	}

	@SuppressWarnings("unchecked")
	private static Map<CompleteReference, Object> completions(Object asyncServer) throws ReflectiveOperationException {
		return (Map<CompleteReference, Object>) read(asyncServer, "completions");
	}

	private static Object read(Object target, String name) throws ReflectiveOperationException {
		Field field = ReflectionUtils.findField(target.getClass(), name);
		if (field == null) {
			throw new NoSuchFieldException(name);
		}
		ReflectionUtils.makeAccessible(field);
		return field.get(target);
	}

}
