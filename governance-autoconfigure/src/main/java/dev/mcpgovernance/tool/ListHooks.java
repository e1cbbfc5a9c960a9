package dev.mcpgovernance.tool;

import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs the {@link ToolExecutionHook}s' list methods (tools, resources, templates, prompts) the same
 * way: a hook may only remove items, so its answer is intersected (by each item's key) with what it
 * was given; a hook that throws or answers nothing leaves nothing (fail closed).
 */
public final class ListHooks {

	private static final Log logger = LogFactory.getLog(ListHooks.class);

	private ListHooks() {
	}

	/**
	 * @param hook one hook's answer to the items it is given
	 * @param key what identifies an item (a tool's name, a resource's URI)
	 * @param method the hook method, for the log
	 */
	public static <T> List<T> kept(List<ToolExecutionHook> hooks, List<T> items,
			BiFunction<ToolExecutionHook, List<T>, List<T>> hook, Function<T, String> key, String method) {
		List<T> visible = List.copyOf(items);
		for (ToolExecutionHook each : hooks) {
			List<T> kept;
			try {
				kept = hook.apply(each, visible);
			}
			catch (Throwable ex) {
				// Throwable, not RuntimeException: on the transport's thread anything else would lose the
				// answer, and the client would wait for it until its request timeout. The types are
				// enough to find the hook; the message may hold data.
				logger.warn("Tool execution hook " + each.getClass().getName() + "." + method + " failed with "
						+ ex.getClass().getName());
				return List.of();
			}
			if (kept == null) {
				return List.of();
			}
			Set<String> keys = kept.stream().map(key).collect(Collectors.toSet());
			visible = visible.stream().filter((item) -> keys.contains(key.apply(item))).toList();
		}
		return visible;
	}

}
