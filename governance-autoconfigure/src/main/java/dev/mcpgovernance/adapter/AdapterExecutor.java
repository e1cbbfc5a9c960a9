package dev.mcpgovernance.adapter;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads adapter calls and health checks run on, so that a time limit can cut off a source
 * that hangs: the tool call's thread waits at most the limit, while the hung call keeps one of these
 * threads. Bounded in threads and queue, so a hanging source cannot take the whole server with it;
 * past the bound a call is refused at once (and fails over). Deliberately not an
 * {@link java.util.concurrent.Executor}: a bean of that type would switch off Spring Boot's own task
 * executor.
 */
public class AdapterExecutor implements AutoCloseable {

	private final ThreadPoolExecutor executor;

	public AdapterExecutor(int maxThreads, int queueCapacity) {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (task) -> {
			Thread thread = new Thread(task, "mcp-governance-adapter-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.executor = new ThreadPoolExecutor(maxThreads, maxThreads, 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(queueCapacity), threads, new ThreadPoolExecutor.AbortPolicy());
		this.executor.allowCoreThreadTimeOut(true);
	}

	/** @throws java.util.concurrent.RejectedExecutionException when every thread and queue slot is taken */
	public <T> Future<T> submit(Callable<T> task) {
		return this.executor.submit(task);
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
