package dev.mcpgovernance.tool;

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
		if (failure instanceof ToolErrorException deliberate) {
			return deliberate.error();
		}
		if (failure instanceof InvalidInput invalid) {
			Map<String, Object> details = (invalid.field() != null) ? Map.of("field", invalid.field()) : Map.of();
			String message = (invalid.getMessage() != null) ? invalid.getMessage() : "The arguments are not valid.";
			return new ToolError(ToolErrorCode.INVALID_INPUT, message, details);
		}
		logger.warn("Tool '" + toolName + "' failed with " + failure.getClass().getName() + " (request " + requestId
				+ "); message withheld");
		if (logger.isDebugEnabled()) {
			logger.debug("Stack of request " + requestId, withoutMessages(failure));
		}
		return internalError(requestId);
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
