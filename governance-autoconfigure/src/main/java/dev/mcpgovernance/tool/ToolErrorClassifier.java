package dev.mcpgovernance.tool;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Decides which {@link ToolError} a handler failure becomes. Only errors written for the caller
 * keep their message; anything else becomes {@code internal_error} with a request id, and the log
 * records the exception type, never its message (which may hold data).
 */
public class ToolErrorClassifier {

	private static final Log logger = LogFactory.getLog(ToolErrorClassifier.class);

	public ToolError classify(Throwable failure, String toolName, String requestId) {
		return classify(failure, toolName, requestId, List.of());
	}

	/**
	 * @param sourceUnavailable the tool's own exceptions that mean "every source is down"
	 * ({@link GovernedTool#sourceUnavailable()})
	 */
	public ToolError classify(Throwable failure, String toolName, String requestId,
			List<Class<? extends Throwable>> sourceUnavailable) {
		if (failure instanceof ToolErrorException deliberate) {
			return deliberate.error();
		}
		if (failure instanceof InvalidInput invalid) {
			Map<String, Object> details = (invalid.field() != null) ? Map.of("field", invalid.field()) : Map.of();
			String message = (invalid.getMessage() != null) ? invalid.getMessage() : "The arguments are not valid.";
			return new ToolError(ToolErrorCode.INVALID_INPUT, message, details);
		}
		ToolError unavailable = sourceUnavailable(failure, sourceUnavailable);
		if (unavailable != null) {
			logger.warn("Tool '" + toolName + "' found no data source available (request " + requestId + ")");
			return unavailable;
		}
		logger.warn("Tool '" + toolName + "' failed with " + failure.getClass().getName() + " (request " + requestId
				+ "); message withheld");
		if (logger.isDebugEnabled()) {
			logger.debug("Stack of request " + requestId, withoutMessages(failure));
		}
		return internalError(requestId);
	}

	// Searched along the causes too: a proxy or a library may have wrapped the handler's exception.
	private static ToolError sourceUnavailable(Throwable failure, List<Class<? extends Throwable>> declared) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof SourceUnavailableException unavailable) {
				return sourceUnavailableError(unavailable.retryAfter().orElse(null));
			}
			for (Class<? extends Throwable> type : declared) {
				if (type.isInstance(cause)) {
					return sourceUnavailableError(null);
				}
			}
		}
		return null;
	}

	private static ToolError sourceUnavailableError(Duration retryAfter) {
		// Names no source: which systems stand behind a tool is nothing the caller needs to know.
		Map<String, Object> details = (retryAfter != null)
				? Map.of("retry_after_s", Math.max(1, (retryAfter.toMillis() + 999) / 1000)) : Map.of();
		return new ToolError(ToolErrorCode.SOURCE_UNAVAILABLE,
				"The data this tool needs is unavailable right now. Try again later.", details);
	}

	public static ToolError internalError(String requestId) {
		return new ToolError(ToolErrorCode.INTERNAL_ERROR,
				"The tool failed. Quote the request id when reporting it.", Map.of("request_id", requestId));
	}

	// The stack frames help debugging; the messages may carry values, so they are dropped.
	private static Throwable withoutMessages(Throwable failure) {
		Throwable copy = new Throwable(failure.getClass().getName());
		copy.setStackTrace(failure.getStackTrace());
		return copy;
	}

}
