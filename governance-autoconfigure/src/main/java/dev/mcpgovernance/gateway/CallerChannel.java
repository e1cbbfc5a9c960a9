package dev.mcpgovernance.gateway;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.UnaryOperator;

import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitRequest;
import io.modelcontextprotocol.spec.McpSchema.ElicitResult;
import io.modelcontextprotocol.spec.McpSchema.ElicitUrlRequest;
import io.modelcontextprotocol.spec.McpSchema.LoggingMessageNotification;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The way back from one upstream session to the one caller it was opened for: what the upstream
 * sends during that caller's calls (progress, log messages, elicitation requests) is handed to the
 * caller's own exchange. The session serves no one else, so nothing it sends can reach another
 * caller; a message that arrives while none of the caller's calls is in progress has nowhere to go
 * and is dropped (an elicitation request is refused), and so is a notification that finds the
 * caller's stream ended with its call. The upstream's text (progress and log
 * messages, the question) is redacted like a result.
 */
final class CallerChannel {

	private final ClientCapabilities capabilities;

	private final UnaryOperator<String> redact;

	// The calls in progress by the token the upstream was given; the newest last, for logs and elicitations.
	private final Map<String, ForwardedCall> byUpstreamToken = new ConcurrentHashMap<>();

	private final ConcurrentLinkedDeque<ForwardedCall> inProgress = new ConcurrentLinkedDeque<>();

	private volatile Instant lastActive = Instant.now();

	/**
	 * @param callerCapabilities what the caller declared; the upstream session declares the same
	 * elicitation modes, and nothing else it could not forward
	 * @param redact what the upstream's text passes through before it reaches the caller, as its results do
	 */
	CallerChannel(ClientCapabilities callerCapabilities, UnaryOperator<String> redact) {
		this.redact = redact;
		McpSchema.ClientCapabilities.Elicitation elicitation = (callerCapabilities != null)
				? callerCapabilities.elicitation() : null;
		this.capabilities = McpSchema.ClientCapabilities.builder().elicitation(elicitation).build();
	}

	/** The capabilities the upstream session declares: the caller's elicitation modes, if any. */
	ClientCapabilities capabilities() {
		return this.capabilities;
	}

	/**
	 * A call of the caller begins. The upstream is given a token of the gateway's own (when the
	 * caller asked for progress): the caller's token never travels, and a progress notification is
	 * matched to its call by an exact lookup.
	 */
	ForwardedCall begin(McpSyncServerExchange exchange, Object callerProgressToken) {
		ForwardedCall call = new ForwardedCall(exchange, callerProgressToken,
				(callerProgressToken != null) ? "gw-" + UUID.randomUUID() : null);
		if (call.upstreamToken() != null) {
			this.byUpstreamToken.put(call.upstreamToken(), call);
		}
		this.inProgress.addLast(call);
		this.lastActive = Instant.now();
		return call;
	}

	void end(ForwardedCall call) {
		if (call.upstreamToken() != null) {
			this.byUpstreamToken.remove(call.upstreamToken());
		}
		this.inProgress.remove(call);
		this.lastActive = Instant.now();
	}

	boolean busy() {
		return !this.inProgress.isEmpty();
	}

	Instant lastActive() {
		return this.lastActive;
	}

	/** A progress notification of the upstream: to the call it names, with the caller's own token. */
	Mono<Void> progress(ProgressNotification notification) {
		return Mono.<Void>fromRunnable(() -> {
			ForwardedCall call = (notification.progressToken() != null)
					? this.byUpstreamToken.get(String.valueOf(notification.progressToken())) : null;
			if (call != null) {
				call.exchange()
					.progressNotification(new ProgressNotification(call.callerToken(), notification.progress(),
							notification.total(), redacted(notification.message()), null));
			}
		}).onErrorComplete();
	}

	/** A log message of the upstream: to the caller, through its newest call in progress. */
	Mono<Void> log(LoggingMessageNotification notification) {
		return Mono.<Void>fromRunnable(() -> {
			ForwardedCall call = this.inProgress.peekLast();
			if (call != null) {
				// The caller's own logging/setLevel decides whether it is sent.
				call.exchange()
					.loggingNotification(new LoggingMessageNotification(notification.level(), notification.logger(),
							redacted(notification.data()), null));
			}
		}).onErrorComplete();
	}

	/**
	 * An elicitation request of the upstream: to the caller, through its newest call in progress;
	 * the caller's answer goes back as the upstream's result. Asked off the transport's thread, since
	 * the answer may take as long as a person does.
	 */
	Mono<ElicitResult> elicit(ElicitRequest request) {
		ForwardedCall call = this.inProgress.peekLast();
		if (call == null) {
			return Mono.error(refusal("No call of this caller is in progress"));
		}
		ElicitRequest forwarded = request;
		if (request instanceof ElicitFormRequest form) {
			forwarded = new ElicitFormRequest(redacted(form.message()), form.requestedSchema(), form.meta());
		}
		else if (request instanceof ElicitUrlRequest url) {
			forwarded = new ElicitUrlRequest(redacted(url.message()), url.url(), url.elicitationId(), url.meta());
		}
		ElicitRequest question = forwarded;
		return Mono.fromCallable(() -> call.exchange().createElicitation(question))
			.subscribeOn(Schedulers.boundedElastic())
			// The caller's failure (timeout, disconnect, its own error) stays here: its text is not the upstream's business.
			.onErrorMap((failure) -> refusal("The caller did not answer the elicitation"));
	}

	private String redacted(String text) {
		return (text != null) ? this.redact.apply(text) : null;
	}

	private static McpError refusal(String message) {
		return new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_REQUEST, message,
				null));
	}

	/** One call of the caller in progress on this channel. */
	record ForwardedCall(McpSyncServerExchange exchange, Object callerToken, String upstreamToken) {
	}

}
