package dev.mcpgovernance.adapter;

/** The typed adapter of the tests: items, from one of several sources. */
public interface ItemSource extends DataAdapter {

	@Override
	default String group() {
		return "items";
	}

	Item find(String id) throws Exception;

	/** An item and the source that served it. */
	record Item(String id, String source) {
	}

}
