package dev.mcpgovernance.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Record ids are UUIDs that grow with time, so that the audit table's primary key takes new rows at
 * its end, and stay unique when many threads take them at once.
 */
class AuditRecordTests {

	@Test
	void idsAreTimeOrderedUuidsThatGrow() {
		long before = System.currentTimeMillis();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			ids.add(AuditRecord.newId());
		}
		long after = System.currentTimeMillis();
		for (String id : ids) {
			UUID uuid = UUID.fromString(id);
			assertThat(uuid.version()).isEqualTo(7);
			assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(before, after);
		}
		// As the text is stored and compared by the index.
		assertThat(ids).isSortedAccordingTo(String::compareTo).doesNotHaveDuplicates();
	}

	@Test
	void idsTakenByManyThreadsAtOnceAreUnique() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			var ids = ConcurrentHashMap.<String>newKeySet();
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				done.add(threads.submit(() -> {
					for (int i = 0; i < 20_000; i++) {
						ids.add(AuditRecord.newId());
					}
				}));
			}
			for (Future<?> future : done) {
				future.get(30, TimeUnit.SECONDS);
			}
			assertThat(ids).hasSize(160_000);
		}
		finally {
			threads.shutdownNow();
		}
	}

}
