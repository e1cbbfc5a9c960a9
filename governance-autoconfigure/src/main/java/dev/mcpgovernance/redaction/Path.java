package dev.mcpgovernance.redaction;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * The containers between the root and the value being redacted. A container met again on its own
 * path is a cycle, and nesting deeper than {@link #MAX_DEPTH} is cut, so that no input can make the
 * redactor loop or overflow its stack. A container shared by two branches (no cycle) is redacted twice.
 * Also remembers whether anything was replaced on the way.
 */
final class Path {

	/** Deepest nesting followed; a container below it is replaced. */
	static final int MAX_DEPTH = 256;

	static final StringNode CYCLE = StringNode.valueOf("[REDACTED:cycle]");

	static final StringNode TOO_DEEP = StringNode.valueOf("[REDACTED:too-deep]");

	private final Set<Object> containers = Collections.newSetFromMap(new IdentityHashMap<>());

	private boolean changed;

	/**
	 * Steps into a container; every successful call is paired with {@link #leave(Object)}.
	 * @return {@code null} when entered, otherwise what replaces the container
	 */
	JsonNode enter(Object container) {
		if (this.containers.size() >= MAX_DEPTH) {
			return replaced(TOO_DEEP);
		}
		return this.containers.add(container) ? null : replaced(CYCLE);
	}

	/** Notes that something was replaced, and returns the replacement. */
	<T> T replaced(T replacement) {
		this.changed = true;
		return replacement;
	}

	/** Whether anything met so far was replaced. */
	boolean changed() {
		return this.changed;
	}

	void leave(Object container) {
		this.containers.remove(container);
	}

}
