package dev.mcpgovernance.tool;

/**
 * Observes every tool call from the moment the governor receives it to its end, on the thread
 * that runs it: unlike a {@link ToolCallListener}, which hears of a call once it is over, an
 * observer is current while the handler runs, so a trace span it opens is the parent of what the
 * handler does, and the call's trace reaches the {@link ToolCallEvent}. The observability package
 * provides a Micrometer {@code Observation} one.
 */
@FunctionalInterface
public interface ToolCallObserver {

	/** Observes nothing. */
	ToolCallObserver NONE = (toolName, policy) -> ObservedCall.NONE;

	/**
	 * Starts observing a call; the governor stops the returned observation on the same thread.
	 * @param policy the tool's policy; {@code null} for an ungoverned tool
	 */
	ObservedCall start(String toolName, ToolPolicy policy);

	/** One call under observation. */
	interface ObservedCall {

		ObservedCall NONE = new ObservedCall() {

			@Override
			public String traceId() {
				return null;
			}

			@Override
			public String spanId() {
				return null;
			}

			@Override
			public void stop(ToolCallEvent event) {
			}

		};

		/** The trace the call runs in, {@code null} outside one. */
		String traceId();

		/** The call's span, {@code null} outside a trace. */
		String spanId();

		/**
		 * Ends the observation.
		 * @param event how the call ended; {@code null} when the governor itself failed
		 */
		void stop(ToolCallEvent event);

	}

}
