package dev.mcpgovernance.tool;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Tells the {@link ToolCallListener}s (audit, metrics) of every finished request, in order, for
 * every governor alike: a broken listener must not fail the request, so it is logged by its type
 * (the message may hold data) and the others are still told.
 */
public final class ToolCallListeners {

	private static final Log logger = LogFactory.getLog(ToolCallListeners.class);

	private final List<ToolCallListener> listeners;

	public ToolCallListeners(List<ToolCallListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	public void tell(ToolCallEvent event) {
		for (ToolCallListener listener : this.listeners) {
			try {
				listener.onToolCall(event);
			}
			catch (RuntimeException ex) {
				logger.warn("Tool-call listener " + listener.getClass().getName() + " failed with "
						+ ex.getClass().getName() + " (request " + event.requestId() + ")");
			}
		}
	}

}
