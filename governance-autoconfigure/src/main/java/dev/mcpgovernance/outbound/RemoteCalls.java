package dev.mcpgovernance.outbound;

import java.util.Optional;
import java.util.concurrent.Callable;

import dev.mcpgovernance.adapter.AdapterResilience;
import dev.mcpgovernance.adapter.DataAdapter;
import dev.mcpgovernance.adapter.SourceSkippedException;
import dev.mcpgovernance.tool.GovernanceContext;
import dev.mcpgovernance.tool.InvalidInput;
import dev.mcpgovernance.tool.SourceUnavailableException;
import dev.mcpgovernance.tool.ToolErrorException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The one path of a request to another service on a caller's behalf (an OpenAPI connector's API, a
 * gateway's upstream MCP server): under the service's circuit breaker, retry and time limit, on the
 * caller's governance context, with every failure turned into the error the caller gets, which never
 * carries anything of the service's text. Only the failure's type is logged.
 *
 * <ul>
 * <li>{@link InvalidInput} and a {@link ToolErrorException} the request threw (a refusal already worded
 * for the caller, such as {@code upstream_error} for a 4xx) reach the caller as they are;
 * <li>a {@link ServiceFailureException} (the service answered, with a failure of its own) becomes the
 * error it carries, once the retries are done;
 * <li>an open breaker is {@code source_unavailable} with the time until the breaker lets calls through;
 * <li>anything else (unreachable, no answer within the time limit, interrupted) is {@code source_unavailable}.
 * </ul>
 */
public final class RemoteCalls {

	private static final Log logger = LogFactory.getLog(RemoteCalls.class);

	private final AdapterResilience resilience;

	/** @param resilience the breakers, retries and time limits, {@link AdapterResilience#NONE} for none */
	public RemoteCalls(AdapterResilience resilience) {
		this.resilience = resilience;
	}

	/**
	 * Sends one request.
	 * @param service the service, as the data adapter whose name its breaker, retry and time limit have
	 * @param request the request; it throws what the caller should get for an answer that refuses the call
	 * @throws ToolErrorException, InvalidInput or SourceUnavailableException, as the class says
	 */
	public <T> T call(DataAdapter service, Callable<T> request) {
		try {
			return this.resilience.call(service, GovernanceContext.propagate(request));
		}
		catch (Exception ex) {
			throw failure(ex, service.name());
		}
	}

	/** The breaker state of a service: {@code closed}, {@code open}, {@code half_open}, … or {@code none}. */
	public String breakerState(String service) {
		return this.resilience.breakerState(service);
	}

	private RuntimeException failure(Exception ex, String service) {
		if (ex instanceof InvalidInput invalid) {
			return invalid;
		}
		Optional<ToolErrorException> deliberate = causeOf(ex, ToolErrorException.class);
		if (deliberate.isPresent()) {
			return deliberate.get();
		}
		if (ex instanceof SourceSkippedException) {
			return new SourceUnavailableException("The breaker of '" + service + "' is open",
					this.resilience.blockedFor(service).orElse(null));
		}
		Optional<ServiceFailureException> answered = causeOf(ex, ServiceFailureException.class);
		if (answered.isPresent()) {
			return new ToolErrorException(answered.get().error());
		}
		if (ex instanceof InterruptedException) {
			Thread.currentThread().interrupt();
			return new SourceUnavailableException("Interrupted while calling '" + service + "'");
		}
		// The type is enough to find it; the message may quote the service.
		logger.warn("'" + service + "' failed with " + ex.getClass().getName());
		return new SourceUnavailableException("'" + service + "' could not be reached");
	}

	private static <T extends Throwable> Optional<T> causeOf(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return Optional.of(type.cast(cause));
			}
		}
		return Optional.empty();
	}

}
